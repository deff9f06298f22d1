import path from 'node:path';
import type Token from 'markdown-it/lib/token.mjs';
import { GalleyError } from '../errors.js';
import { splitFrontMatter } from '../document/front-matter.js';
import { highlightFences } from '../document/code.js';
import { markDiagrams } from '../document/diagrams.js';
import { renderFormulas } from '../document/math.js';
import { closeHeadingGaps } from '../document/headings.js';
import { parseMarkdown } from '../document/load.js';
import { readMarkdownFile } from '../document/markdown-file.js';
import { plainText } from '../document/markdown.js';
import type { Notice } from '../document/model.js';
import { splitFootnoteTail } from '../document/sections.js';
import { takeTitle } from '../document/title.js';
import type { FrontMatter } from '../settings/front-matter-schema.js';
import { expandIncludes, type IncludeLimits } from './includes.js';

/** One chapter file, read and parsed: what the book is assembled from. */
export interface ChapterSource {
  path: string;
  bytes: Buffer;
  modified: Date;
  frontMatter: FrontMatter;
  keyLines: Map<string, number>;
  /** The chapter's title: its front matter's, its `#` heading's, the plan's, or its file name. */
  title: string;
  /** The `#` heading's inline token, when the title came from it (it keeps its markup). */
  titleInline: Token | undefined;
  /** The body's blocks, the title heading taken out, footnotes taken off. */
  blocks: Token[];
  footnotes: Map<number, Token[]>;
  /** Line numbers in the tokens count from this line (of the text with its includes expanded). */
  bodyStartLine: number;
  /** The chapter's line that each expanded line comes from: see originalLine. */
  lineMap: number[];
  included: { path: string; bytes: Buffer }[];
  warnings: Notice[];
}

/** Reads a chapter: its front matter, its includes expanded, its Markdown parsed; lines stay those of the file. */
export async function readChapter(file: string, planTitle: string | undefined, limits: IncludeLimits): Promise<ChapterSource> {
  const { bytes, modified, frontMatter, bodyStartLine, keyLines, warnings, expanded } = await inFile(file, async () => {
    const read = await readMarkdownFile(file, limits.maxBytes);
    const split = splitFrontMatter(read.text);
    return { ...read, ...split, expanded: await expandIncludes(split.body, file, split.bodyStartLine, limits) };
  });
  warnings.push(...expanded.warnings);
  const lineMap = expanded.lines;
  const chapterLine = (line: number | undefined) => (line === undefined ? undefined : (lineMap[line - bodyStartLine] ?? line));
  try {
    const tokens = parseMarkdown(expanded.text, bodyStartLine);
    const headingWarnings: Notice[] = [];
    await highlightFences(tokens, bodyStartLine, headingWarnings);
    await renderFormulas(tokens, bodyStartLine, headingWarnings);
    markDiagrams(tokens, bodyStartLine, (line) => ({ file, line: chapterLine(line)! }));
    const taken =
      frontMatter.title === undefined && titledByHeading(tokens, planTitle)
        ? takeTitle(tokens, bodyStartLine, planTitle === undefined ? headingWarnings : [])
        : undefined;
    closeHeadingGaps(tokens, bodyStartLine, headingWarnings);
    warnings.push(...headingWarnings.map((notice) => ({ ...notice, line: chapterLine(notice.line) })));
    const { blocks, footnotes } = splitFootnoteTail(tokens);
    const title = frontMatter.title ?? taken?.title ?? planTitle ?? path.basename(file, path.extname(file));
    return {
      path: file,
      bytes,
      modified,
      frontMatter,
      keyLines,
      title,
      titleInline: taken?.inline,
      blocks,
      footnotes,
      bodyStartLine,
      lineMap,
      included: expanded.included,
      warnings,
    };
  } catch (error) {
    if (error instanceof GalleyError && !error.file) throw new GalleyError(error.message, { file, line: chapterLine(error.line) });
    throw error;
  }
}

/** A problem found reading a chapter names the chapter's file (its lines are the file's already). */
async function inFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof GalleyError ? error.inFile(file) : error;
  }
}

/**
 * Whether a chapter's heading is its title: its `#` heading; else, when the plan names it, only a
 * first heading that says the same (a Rust-book chapter opens with `##`); else its first heading.
 */
function titledByHeading(tokens: Token[], planTitle: string | undefined): boolean {
  if (tokens.some((token) => token.type === 'heading_open' && token.tag === 'h1')) return true;
  if (planTitle === undefined) return true;
  const first = tokens[0]?.type === 'heading_open' ? tokens[1] : undefined;
  const same = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return first !== undefined && same(plainText(first)) === same(planTitle);
}

/** The chapter file's line for a line counted in its expanded text (an included line: its directive's). */
export function originalLine(chapter: ChapterSource, line: number | undefined): number | undefined {
  if (line === undefined) return undefined;
  return chapter.lineMap[line - chapter.bodyStartLine] ?? line;
}
