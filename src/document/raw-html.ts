import sanitizeHtml from 'sanitize-html';

/**
 * The one allowlist for HTML in galley's output. Raw HTML in Markdown is allowed, but everything
 * rendered passes through this sanitizer, so only these tags and attributes ever reach Chrome or
 * the EPUB: no scripts, event handlers, frames, objects, forms or styles.
 */
const ALLOWED_TAGS = [
  ...['p', 'br', 'hr', 'wbr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var'],
  ...['em', 'strong', 'i', 'b', 'u', 's', 'del', 'ins', 'mark', 'small', 'sub', 'sup', 'abbr', 'cite', 'q', 'dfn', 'time', 'span', 'a'],
  ...['ul', 'ol', 'li', 'dl', 'dt', 'dd', 'div', 'section', 'article', 'aside', 'header', 'footer', 'nav', 'figure', 'figcaption', 'img'],
  ...['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'],
];
const GLOBAL_ATTRIBUTES = ['id', 'class', 'lang', 'dir', 'title', 'role', 'aria-*', 'epub:type'];
const ALIGNMENT = { 'text-align': [/^(left|right|center)$/] };

export const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    '*': GLOBAL_ATTRIBUTES,
    a: ['href'],
    img: ['src', 'alt', 'width', 'height'],
    ol: ['start', 'reversed'],
    li: ['value'],
    th: ['colspan', 'rowspan', 'scope', 'style'],
    td: ['colspan', 'rowspan', 'style'],
    col: ['span'],
    colgroup: ['span'],
    time: ['datetime'],
    q: ['cite'],
    blockquote: ['cite'],
  },
  allowedStyles: { th: ALIGNMENT, td: ALIGNMENT },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nestingLimit: 200,
};

/** Where a format points images and in-document links; anything not mapped is dropped. */
export interface UrlMapping {
  /** The URL of a checked image, by its path as written; undefined drops the image. */
  imageUrl: (src: string) => string | undefined;
  fragmentHref: (id: string) => string;
}

/** Sanitizes rendered HTML and points its images and `#` links where the format wants them. */
export function sanitizeRendered(html: string, mapping: UrlMapping): string {
  return sanitizeHtml(html, {
    ...SANITIZE_OPTIONS,
    // Only images the mapping returned survive (the others become empty spans), so their schemes may pass.
    allowedSchemesByTag: { img: ['file', 'http', 'https'] },
    transformTags: {
      img: (tagName, attribs) => {
        const { src, ...rest } = attribs;
        const url = src === undefined ? undefined : mapping.imageUrl(src);
        return { tagName: url === undefined ? 'span' : tagName, attribs: url === undefined ? {} : { ...rest, src: url } };
      },
      a: (tagName, attribs) => {
        const href = attribs.href;
        if (!href?.startsWith('#')) return { tagName, attribs };
        return { tagName, attribs: { ...attribs, href: mapping.fragmentHref(safeDecode(href.slice(1))) } };
      },
    },
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** What the sanitizer will remove from a piece of raw HTML, and the images it refers to. */
export function inspectRawHtml(html: string): { removed: string[]; imageSources: string[] } {
  const removed: string[] = [];
  const imageSources: string[] = [];
  sanitizeHtml(html, {
    ...SANITIZE_OPTIONS,
    onOpenTag: (name, attribs) => {
      if (!ALLOWED_TAGS.includes(name)) return void removed.push(`<${name}>`);
      for (const [attribute, value] of Object.entries(attribs)) {
        if (!isAllowedAttribute(name, attribute)) removed.push(`the ${attribute} attribute of <${name}>`);
        else if ((attribute === 'href' || attribute === 'cite') && !isAllowedUrl(value)) removed.push(`the link ${attribute}="${value}"`);
      }
      if (name === 'img' && attribs.src) imageSources.push(attribs.src);
    },
  });
  return { removed, imageSources };
}

function isAllowedAttribute(tag: string, attribute: string): boolean {
  const allowed = [...GLOBAL_ATTRIBUTES, ...((SANITIZE_OPTIONS.allowedAttributes as Record<string, string[]>)[tag] ?? [])];
  return allowed.some((name) => name === attribute || (name.endsWith('*') && attribute.startsWith(name.slice(0, -1))));
}

function isAllowedUrl(url: string): boolean {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\u0000-\u001F\s]+/g, ''))?.[1]?.toLowerCase();
  return scheme === undefined ? !url.trim().startsWith('//') : ['http', 'https', 'mailto'].includes(scheme);
}
