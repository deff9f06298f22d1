import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import footnote from 'markdown-it-footnote';
import type Token from 'markdown-it/lib/token.mjs';

/** Heading ids made of letters and digits in any script, so that `#id` links survive XHTML. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return /^\p{L}/u.test(slug) ? slug : `section-${slug}`.replace(/-$/, '');
}

/** One configured parser. Raw HTML is parsed, and everything rendered is sanitized (raw-html.ts). */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true, typographer: true, linkify: false, xhtmlOut: true });
  md.use(footnote);
  md.use(anchor, { slugify, tabIndex: false });

  return md;
}

/** The text of an inline token, without its markup. */
export function plainText(inline: Token): string {
  return (inline.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('')
    .trim();
}
