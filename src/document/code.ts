import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { Notice } from './model.js';

/** highlight.js's API, as far as galley uses it. */
interface Highlighter {
  getLanguage(name: string): unknown;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}

/** Languages that are not code to colour. */
const PLAIN = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'none', 'output', 'console']);
/** A block longer than this is set without colours: highlighting is linear, but not free. */
export const MAX_HIGHLIGHTED_BYTES = 256 * 1024;

/** The language a fence names: the first word of its info string, without markdown-it-attrs' `{…}`. */
export function fenceLanguage(info: string): string {
  return (info.trim().split(/[\s{]/, 1)[0] ?? '').toLowerCase();
}

/**
 * Colours each fenced block that names a language highlight.js knows, at build time: the HTML is
 * kept on the token (`meta.highlighted`) for both editions. highlight.js is loaded only for a
 * document that has such a block, so one without code pays nothing for it.
 */
export async function highlightFences(tokens: Token[], bodyStartLine: number, warnings: Notice[]): Promise<void> {
  const fences = tokens.filter((token) => token.type === 'fence' && !PLAIN.has(fenceLanguage(token.info)));
  if (fences.length === 0) return;
  const highlighter = (await import('highlight.js/lib/common')).default as Highlighter;
  for (const fence of fences) {
    const language = fenceLanguage(fence.info);
    if (!highlighter.getLanguage(language)) continue;
    if (fence.content.length > MAX_HIGHLIGHTED_BYTES) {
      const line = (fence.map?.[0] ?? 0) + bodyStartLine;
      const size = Math.round(fence.content.length / 1024);
      warnings.push({
        line,
        message: `this ${language} block of ${size} KB is set without colours (galley highlights blocks up to 256 KB)`,
      });
      continue;
    }
    const { value } = highlighter.highlight(fence.content, { language, ignoreIllegals: true });
    fence.meta = { ...(fence.meta as object | null), highlighted: value };
  }
}

/**
 * A block's HTML line by line: a line that may wrap in a `<span class="line long">` (set as a
 * block with a hanging indent and the mark that shows where it was wrapped), and with `numbered`
 * every line in a `<span class="line">` (which the line numbers count). A highlighted span that
 * runs over several lines (a comment, a string) is closed at each line's end and opened again on
 * the next. Other lines stay bare: a span around each of a long book's thousand lines of code made
 * Chrome's printing half as slow again.
 */
export function codeLines(html: string, numbered = false): string {
  const open: string[] = [];
  let line = '';
  const lines: string[] = [];
  for (const part of html.replace(/\n$/, '').split(/(<span[^>]*>|<\/span>|\n)/)) {
    if (part === '\n') {
      lines.push(line + '</span>'.repeat(open.length));
      line = open.join('');
    } else {
      if (part.startsWith('<span')) open.push(part);
      else if (part === '</span>') open.pop();
      line += part;
    }
  }
  lines.push(line);
  // The line break stays inside its line, where it ends the line's box without adding an empty one,
  // and keeps the lines apart where CSS is not read.
  return lines
    .map((text) => {
      if (visibleLength(text) > NEVER_WRAPS) return `<span class="line long">${text}\n</span>`;
      return numbered ? `<span class="line">${text}\n</span>` : `${text}\n`;
    })
    .join('');
}

/**
 * The longest line no paper wraps: galley's narrowest code measure (A5) holds about 70 columns.
 * Only longer lines (`.line.long`) are set as blocks with a hanging indent and the continuation
 * mark: drawing the mark on every line of a long book's code made Chrome's printing 5 times slower.
 */
const NEVER_WRAPS = 60;

/** Chinese, Japanese and Korean characters take two columns of a monospaced line. */
const WIDE = /[\p{sc=Han}\p{sc=Hangul}\p{sc=Hiragana}\p{sc=Katakana}\u3000-\u303f\uff00-\uffef]/gu;

/** A line's width in columns: its markup left out, each character reference one character, wide characters two. */
function visibleLength(html: string): number {
  const text = html.replace(/<[^>]*>/g, '').replace(/&(?:#x?[0-9a-f]+|[a-z]+);/gi, '_');
  return text.length + (text.match(WIDE)?.length ?? 0);
}

/** Fenced code as `<pre><code>`, line by line, coloured when highlightFences coloured it; the fence's `{…}` attributes go on the `<pre>`. */
export function useCodeBlocks(md: MarkdownIt): void {
  md.renderer.rules.fence = (tokens, index, _options, _env, self) => {
    const token = tokens[index]!;
    const language = fenceLanguage(token.info);
    const highlighted = (token.meta as { highlighted?: string } | null)?.highlighted;
    const numbered = (token.attrGet('class') ?? '').split(/\s+/).includes('numberLines');
    const body = codeLines(highlighted ?? md.utils.escapeHtml(token.content), numbered);
    const codeClass = language && !PLAIN.has(language) ? ` class="language-${md.utils.escapeHtml(language)}"` : '';
    return `<pre${self.renderAttrs(token)}><code${codeClass}>${body}</code></pre>\n`;
  };
}
