import MarkdownIt, { type PluginWithOptions } from 'markdown-it';
import anchor from 'markdown-it-anchor';
import attributes from 'markdown-it-attrs';
import footnote from 'markdown-it-footnote';
import type Token from 'markdown-it/lib/token.mjs';
import { useCodeBlocks } from './code.js';
import { useDiagrams } from './diagrams.js';
import { useMath } from './math.js';

/** Heading ids made of letters and digits in any script, so that `#id` links survive XHTML. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return /^\p{L}/u.test(slug) ? slug : `section-${slug}`.replace(/-$/, '');
}

/** What the `{…}` attribute syntax may set: the sanitizer still checks every value. */
const ATTRIBUTE_SYNTAX_ALLOWS = ['id', 'class', 'width', 'height', 'lang', 'dir', 'title'];

/** What a parse reports beside its tokens. */
export interface MarkdownEnv {
  /** The first line (0-based, in the body) that markdown-it skipped for being nested too deep. */
  tooDeepAtLine?: number;
}

/** One configured parser. Raw HTML is parsed, and everything rendered is sanitized (raw-html.ts). */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true, typographer: true, linkify: false, xhtmlOut: true });
  md.use(footnote);
  useMath(md);
  // `{#id .class width=50%}` after a heading, paragraph or image; before the anchors, which keep an id given so.
  // markdown-it-attrs' types are written against the CommonJS typings of markdown-it.
  md.use(attributes as unknown as PluginWithOptions<{ allowedAttributes: string[] }>, { allowedAttributes: ATTRIBUTE_SYNTAX_ALLOWS });
  md.use(anchor, { slugify, tabIndex: false });
  useCodeBlocks(md);
  useDiagrams(md);
  reportNestingLimit(md);
  return md;
}

/**
 * markdown-it silently drops every block nested deeper than `maxNesting` (lists and quotes inside
 * each other), and the rest of the enclosing block with it. Block parsing goes through
 * `tokenize` at each level, so that is where the first skipped line is noted.
 */
/** markdown-it's nesting limit (its types leave the option out). */
export function maxNesting(md: MarkdownIt): number {
  return (md.options as { maxNesting?: number }).maxNesting ?? 100;
}

function reportNestingLimit(md: MarkdownIt): void {
  const tokenize = md.block.tokenize.bind(md.block);
  md.block.tokenize = (state, startLine, endLine) => {
    const env = state.env as MarkdownEnv;
    if (state.level >= maxNesting(md) && env.tooDeepAtLine === undefined) {
      const line = state.skipEmptyLines(startLine);
      if (line < endLine) env.tooDeepAtLine = line;
    }
    tokenize(state, startLine, endLine);
  };
}

/** The text of an inline token, without its markup. */
export function plainText(inline: Token): string {
  return (inline.children ?? [])
    .filter((child) => child.type === 'text' || child.type === 'code_inline')
    .map((child) => child.content)
    .join('')
    .trim();
}
