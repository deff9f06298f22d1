import type MarkdownIt from 'markdown-it';
import Token from 'markdown-it/lib/token.mjs';
import { GalleyError } from '../errors.js';
import { fenceLanguage } from './code.js';

/** mermaid's own `maxTextSize`: past it, mermaid draws a picture of an error instead of the diagram. */
export const MAX_DIAGRAM_CHARACTERS = 50_000;

/** Where a diagram's fence is, kept on the fence token (`meta.diagram`) from parsing to drawing. */
export interface DiagramPlace {
  /** The file it is written in, when that is not the document's own (a book's chapters). */
  file?: string | undefined;
  /** The line of its opening fence. */
  line: number;
  /** Set once it is drawn: the image that shows it in both editions. */
  drawn?: DrawnDiagram | undefined;
}

export interface DrawnDiagram {
  /** The key of its sanitized SVG in the document's images. */
  src: string;
  alt: string;
  caption: string | undefined;
}

/** True for a fence that holds a diagram galley draws. */
export function isDiagramFence(token: Token): boolean {
  return token.type === 'fence' && fenceLanguage(token.info) === 'mermaid';
}

/** The fence's place, once markDiagrams has marked it. */
export function diagramPlace(token: Token): DiagramPlace | undefined {
  return (token.meta as { diagram?: DiagramPlace } | null)?.diagram;
}

/**
 * Marks every mermaid fence with its place (`locate` maps the fence's line in the parsed text to
 * the file's), so that the drawing step finds them; a diagram longer than mermaid draws is an error.
 */
export function markDiagrams(tokens: Token[], bodyStartLine: number, locate = (line: number): DiagramPlace => ({ line })): void {
  for (const fence of tokens) {
    if (!isDiagramFence(fence)) continue;
    const place = locate((fence.map?.[0] ?? 0) + bodyStartLine);
    if (fence.content.length > MAX_DIAGRAM_CHARACTERS) {
      const size = fence.content.length.toLocaleString('en');
      throw new GalleyError(`this diagram has ${size} characters: mermaid draws diagrams of up to 50,000`, place);
    }
    fence.meta = { ...(fence.meta as object | null), diagram: place };
  }
}

/** The fences the drawing step must draw: in the body and in the notes. */
export function diagramFences(blocks: Token[], footnotes: Iterable<Token[]>): Token[] {
  return [...blocks, ...[...footnotes].flat()].filter((token) => diagramPlace(token) !== undefined);
}

/**
 * A drawn diagram is shown as a figure holding its image, rendered by the format's own rules for
 * an image alone in its paragraph (print's figures are groups); one not drawn stays code.
 */
export function useDiagrams(md: MarkdownIt): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const drawn = diagramPlace(tokens[index]!)?.drawn;
    return drawn ? self.render(figureTokens(drawn), options, env) : fence(tokens, index, options, env, self);
  };
}

function figureTokens({ src, alt, caption }: DrawnDiagram): Token[] {
  const image = new Token('image', 'img', 0);
  image.attrs = [
    ['src', src],
    ['alt', ''],
  ];
  if (caption) image.attrSet('title', caption);
  else image.meta = { uncaptioned: true };
  const altText = new Token('text', '', 0);
  altText.content = alt;
  image.children = [altText];
  const inline = new Token('inline', '', 0);
  inline.children = [image];
  return [new Token('paragraph_open', 'p', 1), inline, new Token('paragraph_close', 'p', -1)];
}
