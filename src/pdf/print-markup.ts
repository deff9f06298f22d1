import type MarkdownIt from 'markdown-it';
import type { RenderRule } from 'markdown-it/lib/renderer.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { figureImage, useFigures } from '../document/figures.js';
import { createMarkdown } from '../document/markdown.js';
import { formulaLabel, type RenderedFormula } from '../document/math.js';

const EXTERNAL = /^(https?|mailto):/i;
/** Characters in three full lines of the narrowest measure (A5, about 68 a line), with some to spare. */
const SHORT_PARAGRAPH = 250;
/** Chinese, Japanese and Korean characters: each takes about the room of two Latin letters. */
const WIDE_CHARACTERS = /[\p{sc=Han}\p{sc=Hangul}\p{sc=Hiragana}\p{sc=Katakana}]/gu;
/** Where a printed URL may break: before these (Chicago Manual of Style 6.8). */
const URL_BREAK_BEFORE = /(?=[/.,?#%~_-])|(?<=[=&])|(?=[=&])/;

/**
 * The print edition's markdown-it: the shared rules, plus figures with captions, the URL of each
 * external link printed after it, and footnote marks as plain superscript numbers.
 */
export function createPrintMarkdown(): MarkdownIt {
  const md = createMarkdown();
  const rules = md.renderer.rules;
  const paragraphOpen = rules.paragraph_open;
  rules.paragraph_open = (tokens, index, options, env, self) => {
    if (!figureImage(tokens, index) && isShortParagraph(tokens, index)) return '<p class="short">';
    return (paragraphOpen ?? renderToken)(tokens, index, options, env, self);
  };
  useFigures(md, { role: 'group' });
  // Chrome leaves an empty cell out of the tagged PDF's table, and rows must keep their columns (PDF/UA).
  for (const cell of ['td_close', 'th_close'] as const) {
    rules[cell] = (tokens, index, options, _env, self) => {
      const empty = tokens[index - 1]?.type === 'inline' && tokens[index - 1]!.content.trim() === '';
      return `${empty ? '\u00a0' : ''}${self.renderToken(tokens, index, options)}`;
    };
  }
  rules.ordered_list_open = (tokens, index, options, _env, self) => {
    const digits = String(largestListNumber(tokens, index)).length;
    if (digits > 1) tokens[index]!.attrJoin('class', `digits-${Math.min(digits, 4)}`);
    return self.renderToken(tokens, index, options);
  };
  usePrintedAddresses(md);
  usePrintNotes(md);
  useTaggedFormulas(md);
  return md;
}

/**
 * Each formula shown as MathML is wrapped in an element with role="img" and its TeX as label:
 * Chrome then tags it as one Figure with that alternate text, which the finishing pass makes a
 * Formula (see tagFormulas). A formula shown as its TeX stays code.
 */
function useTaggedFormulas(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  const wrap = (name: string, tag: 'span' | 'div') => {
    const render = rules[name]!;
    rules[name] = (tokens, index, options, env, self) => {
      const html = render(tokens, index, options, env, self);
      const formula = (tokens[index]!.meta as { formula?: RenderedFormula } | null)?.formula;
      if (!formula?.mathml) return html;
      return `<${tag} class="formula" role="img" aria-label="${md.utils.escapeHtml(formulaLabel(formula.tex))}">${html}</${tag}>${tag === 'div' ? '\n' : ''}`;
    };
  };
  for (const name of ['math_inline', 'math_inline_double']) wrap(name, 'span');
  for (const name of ['math_block', 'math_block_eqno']) wrap(name, 'div');
}

/** markdown-it's own rendering of a token, for rules that have no other to fall back on. */
const renderToken: RenderRule = (tokens, index, options, _env, self) => self.renderToken(tokens, index, options);

/** The address of each external link is printed after its text; autolinks are the address. */
function usePrintedAddresses(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  const linkOpen = rules.link_open ?? renderToken;
  const linkClose = rules.link_close;
  rules.link_open = (tokens, index, options, env, self) => {
    const html = linkOpen(tokens, index, options, env, self);
    return tokens[index]!.markup === 'autolink' ? `<span class="url">${html}` : html;
  };
  rules.link_close = (tokens, index, options, env, self) => {
    const html = (linkClose ?? renderToken)(tokens, index, options, env, self);
    const start = openingLink(tokens, index);
    if (!start) return html;
    if (start.token.markup === 'autolink') return `${html}</span>`;
    const href = start.token.attrGet('href') ?? '';
    if (!EXTERNAL.test(href)) return html;
    const shown = md
      .normalizeLinkText(href)
      .replace(/^(https:\/\/|mailto:)/i, '')
      .replace(/^((?:[a-z]+:\/\/)?[^/]+)\/$/i, '$1');
    const text = self.renderInlineAsText(tokens.slice(start.index + 1, index), options, env).trim();
    if (sameAddress(text, shown)) return html;
    return `${html}<span class="url"> (${breakableUrl(shown, md.utils.escapeHtml)})</span>`;
  };
  const text = rules.text!;
  rules.text = (tokens, index, options, env, self) => {
    const previous = tokens[index - 1];
    if (previous?.type === 'link_open' && previous.markup === 'autolink') return breakableUrl(tokens[index]!.content, md.utils.escapeHtml);
    return text(tokens, index, options, env, self);
  };
}

/** Footnote marks as plain numbers, and an arrow back from each note. */
function usePrintNotes(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  rules.footnote_caption = (tokens, index) => {
    const meta = tokens[index]!.meta as { id: number; subId: number };
    return String(meta.id + 1);
  };
  const anchorName = rules.footnote_anchor_name!;
  rules.footnote_anchor = (tokens, index, options, env, self) => {
    const meta = tokens[index]!.meta as { subId: number };
    const id = anchorName(tokens, index, options, env, self) + (meta.subId > 0 ? `:${meta.subId}` : '');
    return ` <a href="#fnref${id}" class="footnote-backref">\u2191</a>`;
  };
}

/**
 * A paragraph of at most about three lines on any of galley's papers. Chrome keeps widows and
 * orphans of 2 apart from one case: a three-line paragraph is split 2 + 1 rather than moved whole.
 * Such paragraphs are therefore never split (print.css: `p.short`).
 */
function isShortParagraph(tokens: Token[], paragraphOpenIndex: number): boolean {
  const open = tokens[paragraphOpenIndex]!;
  const inline = tokens[paragraphOpenIndex + 1];
  if (open.hidden || inline?.type !== 'inline') return false;
  const text = (inline.children ?? []).map((child) => (child.type === 'softbreak' ? ' ' : child.content)).join('');
  return text.length + (text.match(WIDE_CHARACTERS)?.length ?? 0) <= SHORT_PARAGRAPH;
}

/** The number of an ordered list's last item: its start plus its items, less one. */
function largestListNumber(tokens: Token[], openIndex: number): number {
  const open = tokens[openIndex]!;
  let items = 0;
  for (let index = openIndex + 1, depth = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (token.type === 'ordered_list_close' && depth === 0) break;
    if (token.type === 'list_item_open' && depth === 0) items += 1;
    if (token.type === 'list_item_open') depth += 1;
    if (token.type === 'list_item_close') depth -= 1;
  }
  return Number(open.attrGet('start') ?? 1) + items - 1;
}

function openingLink(tokens: Token[], closeIndex: number): { token: Token; index: number } | undefined {
  for (let index = closeIndex - 1; index >= 0; index -= 1) {
    if (tokens[index]!.type === 'link_open') return { token: tokens[index]!, index };
  }
  return undefined;
}

function sameAddress(text: string, shown: string): boolean {
  const bare = (value: string) =>
    value
      .toLowerCase()
      .replace(/^(https?:\/\/|mailto:)/, '')
      .replace(/\/$/, '');
  return bare(text) === bare(shown);
}

/** A URL as HTML, with a line-break opportunity (`<wbr>`) at each place a URL may break. */
function breakableUrl(url: string, escapeHtml: (text: string) => string): string {
  const [, scheme = '', rest = ''] = /^([a-z]+:\/\/)?(.*)$/is.exec(url) ?? [];
  return escapeHtml(scheme) + rest.split(URL_BREAK_BEFORE).map(escapeHtml).join('<wbr />');
}
