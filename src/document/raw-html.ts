import sanitizeHtml from 'sanitize-html';

/**
 * The one allowlist for HTML in galley's output. Raw HTML in Markdown is allowed, but everything
 * rendered passes through this sanitizer, so only these tags and attributes ever reach Chrome or
 * the EPUB: no scripts, event handlers, frames, objects, forms or styles.
 */
/** MathML Core's elements (what Temml writes), without those that link or run anything. */
export const MATHML_TAGS = [
  ...['math', 'semantics', 'annotation', 'mrow', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup', 'mfrac'],
  ...['msqrt', 'mroot', 'mstyle', 'mpadded', 'mphantom', 'menclose', 'munder', 'mover', 'munderover', 'mtable', 'mtr', 'mtd'],
  ...['mlabeledtr', 'mmultiscripts', 'mprescripts', 'none', 'merror'],
];
export const MATHML_ATTRIBUTES = [
  ...['xmlns', 'display', 'alttext', 'encoding', 'mathvariant', 'mathsize', 'stretchy', 'fence', 'separator', 'form', 'lspace', 'rspace'],
  ...['width', 'height', 'depth', 'voffset', 'linethickness', 'columnalign', 'columnspacing', 'rowalign', 'rowspacing', 'columnlines'],
  ...['rowlines', 'frame', 'displaystyle', 'scriptlevel', 'accent', 'accentunder', 'movablelimits', 'largeop', 'symmetric', 'minsize'],
  ...['maxsize', 'notation', 'columnspan', 'rowspan'],
];

const ALLOWED_TAGS = [
  ...['p', 'br', 'hr', 'wbr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var'],
  ...['em', 'strong', 'i', 'b', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'abbr', 'cite', 'q', 'dfn', 'time', 'span', 'a'],
  ...['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'div', 'section', 'article', 'aside', 'header', 'footer', 'nav', 'figure', 'figcaption', 'img'],
  ...['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'],
  ...MATHML_TAGS,
];
/** Tags the sanitizer drops together with everything inside them (sanitize-html's own list). */
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option'];
const GLOBAL_ATTRIBUTES = ['id', 'class', 'lang', 'dir', 'title', 'role', 'aria-*', 'epub:type'];
const ALIGNMENT = { 'text-align': [/^(left|right|center)$/] };
/** A CSS length for an image's width or height (written as an attribute, it becomes a style). */
const LENGTH = /^\d+(?:\.\d+)?(?:px|%|em|rem|cm|mm|in|pt|pc|ex|ch|vw)$/;
const IMAGE_SIZE = { width: [LENGTH], height: [LENGTH] };

export const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    '*': GLOBAL_ATTRIBUTES,
    a: ['href'],
    img: ['src', 'alt', 'width', 'height', 'style'],
    ol: ['start', 'reversed'],
    li: ['value'],
    th: ['colspan', 'rowspan', 'scope', 'style'],
    td: ['colspan', 'rowspan', 'style'],
    col: ['span'],
    colgroup: ['span'],
    time: ['datetime'],
    q: ['cite'],
    blockquote: ['cite'],
    ...Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES])),
  },
  allowedStyles: { th: ALIGNMENT, td: ALIGNMENT, img: IMAGE_SIZE },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  nestingLimit: 200,
};

/** Where a format points images and links; anything not mapped is dropped. */
export interface UrlMapping {
  /** The URL of a checked image, by its path as written; undefined drops the image. */
  imageUrl: (src: string) => string | undefined;
  /** Where a link goes in this format; undefined keeps the link's text and drops the link. */
  linkHref: (href: string) => string | undefined;
}

/** Sanitizes rendered HTML and points its images and links where the format wants them. */
export function sanitizeRendered(html: string, mapping: UrlMapping): string {
  return sanitizeHtml(html, {
    ...SANITIZE_OPTIONS,
    // Only images the mapping returned survive (the others become empty spans), so their schemes may pass.
    allowedSchemesByTag: { img: ['file', 'http', 'https', 'data'] },
    transformTags: {
      img: (tagName, attribs) => {
        const { src, ...rest } = attribs;
        const url = src === undefined ? undefined : mapping.imageUrl(src);
        return { tagName: url === undefined ? 'span' : tagName, attribs: url === undefined ? {} : imageSize({ ...rest, src: url }) };
      },
      a: (tagName, attribs) => {
        const { href, ...rest } = attribs;
        if (href === undefined) return { tagName, attribs };
        const mapped = mapping.linkHref(href);
        if (mapped === undefined) return { tagName: 'span', attribs: rest };
        return {
          tagName,
          attribs: Object.fromEntries(Object.entries(attribs).map(([name, value]) => [name, name === 'href' ? mapped : value])),
        };
      },
    },
  });
}

export interface RawHtmlInspection {
  /** What the sanitizer will remove, one phrase each. */
  removed: string[];
  imageSources: string[];
  /** Images with an empty or no alt attribute. */
  imagesWithoutAlt: string[];
  /** The href of each link, for the link checks. */
  links: string[];
  /** Ids that links may point at. */
  ids: string[];
}

/** What the sanitizer will remove from a piece of raw HTML, and the images, links and ids in it. */
export function inspectRawHtml(html: string): RawHtmlInspection {
  const found: RawHtmlInspection = { removed: [], imageSources: [], imagesWithoutAlt: [], links: [], ids: [] };
  sanitizeHtml(html, {
    ...SANITIZE_OPTIONS,
    onOpenTag: (name, attribs) => {
      if (!ALLOWED_TAGS.includes(name)) {
        return void found.removed.push(DROPPED_WITH_CONTENT.includes(name) ? `<${name}> and everything in it` : `<${name}>`);
      }
      for (const [attribute, value] of Object.entries(attribs)) {
        if (!isAllowedAttribute(name, attribute)) found.removed.push(`the ${attribute} attribute of <${name}>`);
        else if ((attribute === 'href' || attribute === 'cite') && !isAllowedUrl(value))
          found.removed.push(`the link ${attribute}="${value}"`);
      }
      if (name === 'img' && attribs.src) found.imageSources.push(attribs.src);
      if (name === 'img' && attribs.src && !attribs.alt?.trim()) found.imagesWithoutAlt.push(attribs.src);
      if (name === 'a' && attribs.href && isAllowedUrl(attribs.href)) found.links.push(attribs.href);
      if (attribs.id) found.ids.push(attribs.id);
    },
  });
  return found;
}

/**
 * HTML's width and height attributes take whole pixels only; `50%` or `12em` (as the attribute
 * syntax allows) becomes a style, which both editions honour, within the text block.
 */
function imageSize(attribs: Record<string, string>): Record<string, string> {
  const styles: string[] = attribs.style ? [attribs.style] : [];
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(attribs)) {
    if ((name === 'width' || name === 'height') && !/^\d+$/.test(value.trim())) {
      if (LENGTH.test(value.trim())) styles.push(`${name}: ${value.trim()}`);
    } else if (name !== 'style') {
      kept[name] = value;
    }
  }
  return styles.length ? { ...kept, style: styles.join('; ') } : kept;
}

function isAllowedAttribute(tag: string, attribute: string): boolean {
  const allowed = [...GLOBAL_ATTRIBUTES, ...((SANITIZE_OPTIONS.allowedAttributes as Record<string, string[]>)[tag] ?? [])];
  return allowed.some((name) => name === attribute || (name.endsWith('*') && attribute.startsWith(name.slice(0, -1))));
}

function isAllowedUrl(url: string): boolean {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\u0000-\u001F\s]+/g, ''))?.[1]?.toLowerCase();
  return scheme === undefined ? !url.trim().startsWith('//') : ['http', 'https', 'mailto'].includes(scheme);
}
