import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

/**
 * An image alone in its paragraph becomes a figure, captioned with the image's title, else its
 * alt text (unless it is marked `uncaptioned`: a diagram without a title). `role` goes on the `<figure>`: print gives it "group", so that Chrome's tagged PDF has
 * one Figure element (the image, with its alt text) and its Caption, not a Figure inside a Figure.
 */
export function useFigures(md: MarkdownIt, { role }: { role?: string } = {}): void {
  const rules = md.renderer.rules;
  const { paragraph_open: paragraphOpen, paragraph_close: paragraphClose } = rules;
  rules.paragraph_open = (tokens, index, options, env, self) => {
    if (figureImage(tokens, index)) return role ? `<figure role="${role}">\n` : '<figure>\n';
    return paragraphOpen ? paragraphOpen(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
  };
  rules.paragraph_close = (tokens, index, options, env, self) => {
    const image = figureImage(tokens, index - 2);
    if (!image) return paragraphClose ? paragraphClose(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
    const uncaptioned = (image.meta as { uncaptioned?: boolean } | null)?.uncaptioned;
    const caption = image.attrGet('title') || (uncaptioned ? '' : self.renderInlineAsText(image.children ?? [], options, env));
    return caption ? `\n<figcaption>${md.utils.escapeHtml(caption)}</figcaption>\n</figure>\n` : '\n</figure>\n';
  };
}

/** The image of a paragraph that holds one image and nothing else. */
export function figureImage(tokens: Token[], paragraphOpenIndex: number): Token | undefined {
  const open = tokens[paragraphOpenIndex];
  const inline = tokens[paragraphOpenIndex + 1];
  if (open?.type !== 'paragraph_open' || open.hidden || inline?.type !== 'inline') return undefined;
  const content = (inline.children ?? []).filter(
    (child) => !(child.type === 'text' && child.content.trim() === '') && child.type !== 'softbreak',
  );
  return content.length === 1 && content[0]!.type === 'image' ? content[0] : undefined;
}
