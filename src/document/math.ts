import type MarkdownIt from 'markdown-it';
import type { PluginWithOptions } from 'markdown-it';
import texmath from 'markdown-it-texmath';
import type Token from 'markdown-it/lib/token.mjs';
import type { Notice } from './model.js';

/** markdown-it-texmath's token types: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]` as blocks (with an equation number after them, `(1)`). */
const INLINE = new Set(['math_inline', 'math_inline_double']);
const BLOCK = new Set(['math_block', 'math_block_eqno']);
const MATHML_NAMESPACE = 'http://www.w3.org/1998/Math/MathML';
/** A formula longer than this, or nested deeper, is shown as its TeX: no real formula comes near. */
export const MAX_FORMULA_LENGTH = 8 * 1024;
export const MAX_FORMULA_DEPTH = 64;

/** What a formula became at build time, kept on its token for both editions. */
export interface RenderedFormula {
  tex: string;
  /** MathML (with the TeX as alttext and annotation), or undefined when the TeX could not be read. */
  mathml: string | undefined;
}

/** Temml's API, as far as galley uses it. */
interface Temml {
  renderToString(tex: string, options: Record<string, unknown>): string;
}

/**
 * The math syntax: markdown-it-texmath's parsing rules only. Its rendering is replaced: formulas are
 * turned into MathML at load time (renderFormulas), and a formula that failed is shown as its TeX.
 */
export function useMath(md: MarkdownIt): void {
  // The engine is never called: the render rules below replace texmath's own.
  md.use(texmath as PluginWithOptions<object>, {
    engine: { renderToString: () => '' },
    delimiters: ['dollars', 'brackets'],
  });
  const render = (token: Token, display: boolean): string => {
    const formula = (token.meta as { formula?: RenderedFormula } | null)?.formula;
    const tex = md.utils.escapeHtml(token.content.trim());
    if (!formula?.mathml)
      return display ? `<pre class="math-source"><code>${tex}</code></pre>\n` : `<code class="math-source">${tex}</code>`;
    return display ? `<div class="math-display">${formula.mathml}</div>\n` : formula.mathml;
  };
  for (const name of INLINE) md.renderer.rules[name] = (tokens, index) => render(tokens[index]!, false);
  for (const name of BLOCK) md.renderer.rules[name] = (tokens, index) => render(tokens[index]!, true);
}

/** Every formula of the document, in reading order, with the block it is in (whose line it is reported at). */
function formulasIn(tokens: Token[]): { token: Token; block: Token }[] {
  return tokens.flatMap((block) =>
    (BLOCK.has(block.type) ? [block] : (block.children ?? []).filter((child) => INLINE.has(child.type))).map((token) => ({ token, block })),
  );
}

/** Every formula of the document, in reading order (blocks and inline ones). */
export function formulaTokens(tokens: Token[]): Token[] {
  return formulasIn(tokens).map(({ token }) => token);
}

/**
 * Turns each formula into MathML with Temml, loaded only for a document that has one. TeX that
 * Temml cannot read, or that is too long or too deeply nested to be a real formula, is a warning
 * naming its line, and is shown as written.
 */
export async function renderFormulas(tokens: Token[], bodyStartLine: number, warnings: Notice[]): Promise<void> {
  const formulas = formulasIn(tokens);
  if (formulas.length === 0) return;
  const temml = (await import('temml')).default as Temml;
  for (const { token, block } of formulas) {
    const tex = token.content.trim();
    let mathml: string | undefined;
    let message = formulaProblem(tex);
    if (!message) {
      try {
        const options = { displayMode: BLOCK.has(token.type), annotate: true, throwOnError: true, trust: false };
        mathml = withNamespace(temml.renderToString(tex, options), tex);
      } catch (error) {
        message = error instanceof RangeError ? 'it is nested too deeply' : (error as Error).message.replace(/^ParseError:\s*/, '').trim();
      }
    }
    const line = (block.map?.[0] ?? 0) + bodyStartLine;
    if (message) warnings.push({ line, message: `the formula "${shorten(tex)}" is shown as TeX: ${message}` });
    token.meta = { ...(token.meta as object | null), formula: { tex, mathml } satisfies RenderedFormula };
  }
}

/** A formula's TeX on one line: its alternate text in the tagged PDF (Chrome folds the line breaks of a label). */
export function formulaLabel(tex: string): string {
  return tex.replace(/\s+/g, ' ').trim();
}

function formulaProblem(tex: string): string | undefined {
  if (tex.length > MAX_FORMULA_LENGTH) return `it is longer than ${MAX_FORMULA_LENGTH / 1024} KB`;
  let depth = 0;
  for (const character of tex) {
    if (character === '{') depth += 1;
    if (character === '}') depth -= 1;
    if (depth > MAX_FORMULA_DEPTH) return `its braces nest more than ${MAX_FORMULA_DEPTH} deep`;
  }
  return undefined;
}

/** Temml's `<math>`, in the MathML namespace (XHTML needs it) and with its TeX as alttext. */
function withNamespace(mathml: string, tex: string): string {
  const alttext = tex.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return mathml.replace(/^<math\b/, `<math xmlns="${MATHML_NAMESPACE}" alttext="${alttext}"`);
}

function shorten(tex: string): string {
  const line = tex.replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
