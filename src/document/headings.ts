import type Token from 'markdown-it/lib/token.mjs';
import { plainText } from './markdown.js';
import type { Notice } from './model.js';

/**
 * Headings go down one level at a time: an `####` right after a `##` skips a level, which PDF/UA
 * and screen readers take as a missing section. Such a heading is set (and tagged) at the level it
 * really holds, one below the heading it falls under, with a warning; its siblings follow it (a
 * chapter titled by a `##` whose sections are `###` gets `##` sections). The title is level 1.
 */
export function closeHeadingGaps(tokens: Token[], bodyStartLine: number, warnings: Notice[]): void {
  const open: { written: number; level: number }[] = [];
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const written = Number(token.tag.slice(1));
    while (open.length > 0 && open.at(-1)!.written >= written) open.pop();
    const above = open.at(-1)?.level ?? 1;
    const level = Math.min(written, above + 1);
    open.push({ written, level });
    if (level === written) return;
    const title = plainText(tokens[index + 1]!);
    const line = (token.map?.[0] ?? 0) + bodyStartLine;
    warnings.push({ line, message: `the heading "${title}" skips a level (h${written} under h${above}): it is set as h${level}` });
    token.tag = `h${level}`;
    // A heading is heading_open, its inline content, heading_close.
    const close = tokens[index + 2];
    if (close?.type === 'heading_close') close.tag = `h${level}`;
  });
}
