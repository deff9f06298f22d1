import type Token from 'markdown-it/lib/token.mjs';
import { plainText } from './markdown.js';
import type { Notice } from './model.js';

/**
 * Headings go down one level at a time: an `####` right after a `##` skips a level, which PDF/UA
 * and screen readers take as a missing section. Such a heading is set (and tagged) at the level it
 * really holds, one below the heading before it, with a warning. The title counts as level 1.
 */
export function closeHeadingGaps(tokens: Token[], bodyStartLine: number, warnings: Notice[]): void {
  let previous = 1;
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const written = Number(token.tag.slice(1));
    const level = Math.min(written, previous + 1);
    if (level !== written) {
      const title = plainText(tokens[index + 1]!);
      const line = (token.map?.[0] ?? 0) + bodyStartLine;
      warnings.push({ line, message: `the heading "${title}" skips a level (h${written} after h${previous}): it is set as h${level}` });
      token.tag = `h${level}`;
      const close = tokens.slice(index).find((candidate) => candidate.type === 'heading_close');
      if (close) close.tag = `h${level}`;
    }
    previous = level;
  });
}
