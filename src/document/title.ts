import type Token from 'markdown-it/lib/token.mjs';
import { plainText } from './markdown.js';
import type { Notice } from './model.js';

/**
 * The title of a document whose front matter has none: its first `#` heading, which moves out of
 * the body. Failing that, the first heading of any level, with a warning; it moves out of the body
 * only when it opens the document, so that a heading in the middle keeps its section.
 */
export function takeTitleHeading(tokens: Token[], bodyStartLine: number, warnings: Notice[]): string | undefined {
  return takeTitle(tokens, bodyStartLine, warnings)?.title;
}

/** takeTitleHeading, with the heading's inline token (its markup), when it moved out of the body. */
export function takeTitle(
  tokens: Token[],
  bodyStartLine: number,
  warnings: Notice[],
): { title: string; inline: Token | undefined } | undefined {
  const h1 = tokens.findIndex((token) => token.type === 'heading_open' && token.tag === 'h1');
  const index = h1 >= 0 ? h1 : tokens.findIndex((token) => token.type === 'heading_open');
  if (index < 0) return undefined;
  const title = plainText(tokens[index + 1]!);
  if (!title) return undefined;
  if (h1 < 0) {
    const line = (tokens[index]!.map?.[0] ?? 0) + bodyStartLine;
    warnings.push({
      line,
      message: `no title and no # heading: the first heading, "${title}", is taken as the title (set title in the front matter)`,
    });
  }
  if (h1 >= 0 || index === 0) return { title, inline: tokens.splice(index, 3)[1] };
  return { title, inline: undefined };
}
