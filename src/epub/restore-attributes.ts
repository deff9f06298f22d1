import { MATHML_ATTRIBUTES, MATHML_TAGS } from '../document/raw-html.js';

/**
 * Attributes galley's sanitizer lets through that epub-gen-memory's XHTML pass drops (it keeps a
 * fixed list), by element: without them an ordered list written `3.` would restart at 1.
 */
const DROPPED: Record<string, string[]> = {
  ol: ['start', 'reversed'],
  li: ['value'],
  time: ['datetime'],
  th: ['scope'],
  img: ['width', 'height'],
  q: ['cite'],
  blockquote: ['cite'],
  // It drops every attribute of MathML, its namespace included.
  ...Object.fromEntries(MATHML_TAGS.map((tag) => [tag, MATHML_ATTRIBUTES])),
};

const ATTRIBUTE = /\s([a-z][a-z0-9:-]*)(?:="([^"]*)")?/gi;

function startTags(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].map((match) => match[0]);
}

/** The named attributes of a start tag, written as XML (a bare boolean attribute gets its own name as value). */
function keptAttributes(startTag: string, names: string[]): string {
  return [...startTag.matchAll(ATTRIBUTE)]
    .filter((match) => names.includes(match[1]!.toLowerCase()))
    .map((match) => ` ${match[1]!.toLowerCase()}="${match[2] ?? match[1]!.toLowerCase()}"`)
    .join('');
}

function attributeValue(startTag: string, name: string): string | undefined {
  return [...startTag.matchAll(ATTRIBUTE)].find((match) => match[1]!.toLowerCase() === name)?.[2];
}

/**
 * The library gives an image without alt text the alt "image-placeholder". Such an image was
 * meant as decorative: it gets an empty alt and the presentation role instead.
 */
function decorativeImages(original: string, converted: string): string {
  const described = startTags(original, 'img').map((tag) => Boolean(attributeValue(tag, 'alt')?.trim()));
  if (described.length !== startTags(converted, 'img').length) return converted;
  let index = 0;
  return converted.replace(/<img\b[^>]*>/g, (tag) => {
    if (described[index++]) return tag;
    const emptied = tag.replace(/ alt="image-placeholder"/, ' alt=""');
    return / role="/.test(emptied) ? emptied : emptied.replace('<img', '<img role="presentation"');
  });
}

/**
 * Puts the dropped attributes back and undoes the placeholder alt text. The library's XHTML
 * (`converted`) has the same elements in the same order as the sanitized HTML it came from
 * (`original`), so the n-th `<ol>` of one is the n-th of the other. A tag whose count differs is
 * left as the library wrote it.
 */
export function restoreDroppedAttributes(original: string, converted: string): string {
  let result = decorativeImages(original, converted);
  for (const [tag, names] of Object.entries(DROPPED)) {
    const wanted = startTags(original, tag).map((startTag) => keptAttributes(startTag, names));
    if (wanted.every((attributes) => attributes === '') || wanted.length !== startTags(result, tag).length) continue;
    let index = 0;
    result = result.replace(new RegExp(`<${tag}\\b([^>]*?)(/?)>`, 'g'), (_match, attributes: string, selfClosing: string) => {
      const extra = wanted[index++] ?? '';
      return `<${tag}${attributes}${extra}${selfClosing}>`;
    });
  }
  return result;
}
