import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import footnote from 'markdown-it-footnote';
import type { RenderRule } from 'markdown-it/lib/renderer.mjs';
import type Token from 'markdown-it/lib/token.mjs';

/** What a rendering changes per output format: where images and in-document links point. */
export interface RenderEnv {
  imageUrl: (src: string) => string;
  fragmentHref: (id: string) => string;
}

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

  // Rendering never changes the tokens: the same document is rendered once per format.
  const defaultImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, index, options, env: RenderEnv, self) => {
    const token = tokens[index]!;
    const src = token.attrGet('src') ?? '';
    token.attrSet('src', env.imageUrl(src));
    try {
      return defaultImage(tokens, index, options, env, self);
    } finally {
      token.attrSet('src', src);
    }
  };

  const defaultLinkOpen: RenderRule = md.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  md.renderer.rules.link_open = (tokens, index, options, env: RenderEnv, self) => {
    const token = tokens[index]!;
    const href = token.attrGet('href');
    if (!href?.startsWith('#')) return defaultLinkOpen(tokens, index, options, env, self);
    token.attrSet('href', env.fragmentHref(decodeURIComponent(href.slice(1))));
    try {
      return defaultLinkOpen(tokens, index, options, env, self);
    } finally {
      token.attrSet('href', href);
    }
  };
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
