import type Token from 'markdown-it/lib/token.mjs';
import { createMarkdown } from '../../src/document/markdown.js';
import type { Notice } from '../../src/document/model.js';

const md = createMarkdown();

/** A load-time stage that works on a document's tokens (highlighting, formulas), as load.ts calls it. */
export type TokenStage = (tokens: Token[], bodyStartLine: number, warnings: Notice[]) => Promise<void>;

/** Parses Markdown as galley does, runs a load-time stage over it, and renders it with the shared rules. */
export async function renderAfter(stage: TokenStage, markdown: string): Promise<{ html: string; warnings: Notice[] }> {
  const tokens = md.parse(markdown, {});
  const warnings: Notice[] = [];
  await stage(tokens, 1, warnings);
  return { html: md.renderer.render(tokens, md.options, {}), warnings };
}
