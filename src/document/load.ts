import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type Token from 'markdown-it/lib/token.mjs';
import { GalleyError } from '../errors.js';
import { DEFAULTS } from '../settings/defaults.js';
import { resolveDocumentSettings, type DocumentSettingFlags, type DocumentSettings } from '../settings/resolve.js';
import { highlightFences } from './code.js';
import { markDiagrams } from './diagrams.js';
import { renderFormulas } from './math.js';
import { splitFrontMatter } from './front-matter.js';
import { readMarkdownFile, toMetadata } from './markdown-file.js';
import { guessLanguage } from './language.js';
import { documentName, MARKDOWN_EXTENSIONS } from './names.js';
import { checkMarkdownLinks, documentIds, linkProblem, resolveLink } from './links.js';
import { createMarkdown, maxNesting, type MarkdownEnv } from './markdown.js';
import type { DocumentModel, Notice } from './model.js';
import { resolveCover, resolveImages } from './resources.js';
import { directiveWarnings, scanTokens, type TokenScan } from './scan.js';
import { splitFootnoteTail, splitSections } from './sections.js';
import { closeHeadingGaps } from './headings.js';
import { takeTitleHeading } from './title.js';

export { documentName, MARKDOWN_EXTENSIONS };
const markdown = createMarkdown();

/** The limits a document is read with, and the flags that win over its front matter. */
export interface LoadOptions extends DocumentSettingFlags {
  maxDocumentBytes: number;
  maxImageBytes: number;
  /** Given only with --allow-remote: downloads an image and returns its local copy. */
  remoteImages: RemoteImages | undefined;
}

export interface RemoteImages {
  download(url: string): Promise<{ path: string; root: string }>;
}

export const DEFAULT_LOAD_OPTIONS: LoadOptions = {
  maxDocumentBytes: DEFAULTS.maxDocumentBytes,
  maxImageBytes: DEFAULTS.maxImageBytes,
  remoteImages: undefined,
};

/** A document, and the settings it is built with (defaults < front matter < flags). */
export interface LoadedDocument {
  doc: DocumentModel;
  settings: DocumentSettings;
}

/** Reads one Markdown file into the document model. Every problem is a GalleyError naming the file. */
export async function loadDocument(sourcePath: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS): Promise<DocumentModel> {
  return (await loadDocumentAndSettings(sourcePath, options)).doc;
}

/** Reads one Markdown file into the document model and resolves its settings. */
export async function loadDocumentAndSettings(sourcePath: string, options: LoadOptions = DEFAULT_LOAD_OPTIONS): Promise<LoadedDocument> {
  try {
    return await parseDocumentFile(sourcePath, options);
  } catch (error) {
    if (error instanceof GalleyError) throw error.inFile(sourcePath);
    throw error;
  }
}

async function parseDocumentFile(sourcePath: string, options: LoadOptions): Promise<LoadedDocument> {
  const { bytes, text, modified } = await readMarkdownFile(sourcePath, options.maxDocumentBytes);
  const { frontMatter, body, bodyStartLine, keyLines, warnings } = splitFrontMatter(text);
  const tokens = parseMarkdown(body, bodyStartLine);
  await highlightFences(tokens, bodyStartLine, warnings);
  await renderFormulas(tokens, bodyStartLine, warnings);
  markDiagrams(tokens, bodyStartLine);
  if (!tokens.some((token) => token.type !== 'footnote_block_open' && token.type !== 'footnote_block_close')) {
    throw new GalleyError('the document has no text after its front matter', { line: bodyStartLine });
  }
  warnings.push(...directiveWarnings(body, bodyStartLine));

  const name = documentName(sourcePath);
  const headingTitle = frontMatter.title === undefined ? takeTitleHeading(tokens, bodyStartLine, warnings) : undefined;
  closeHeadingGaps(tokens, bodyStartLine, warnings);
  const lang = frontMatter.lang ?? (await languageOfText(tokens, warnings));
  const metadata = toMetadata(frontMatter, frontMatter.title ?? headingTitle ?? name, lang);
  // The blocks share the tokens' objects: the link checks below still rewrite what they hold.
  const { blocks, footnotes } = splitFootnoteTail(tokens);
  const settings = resolveDocumentSettings({ flags: options, frontMatter, blocks });
  const { linkBase } = settings;
  const root = await realpath(path.dirname(sourcePath));
  const scan = scanTokens(tokens, bodyStartLine, warnings);
  checkLinks(tokens, scan, linkBase, bodyStartLine, warnings);
  const images = await resolveImages(scan.images, root, warnings, options);
  const cover =
    frontMatter.cover === undefined
      ? undefined
      : await resolveCover(frontMatter.cover, root, keyLines.get('cover'), options.maxImageBytes, warnings);
  const sections = splitSections(blocks, metadata.title);
  warnings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const sources = [{ path: sourcePath, name: path.basename(sourcePath), bytes }];
  const doc = {
    sourcePath,
    folder: root,
    sources,
    name,
    metadata,
    blocks,
    sections,
    footnotes,
    images,
    cover,
    warnings,
    modified,
    linkBase,
  };
  return { doc, settings };
}

export async function languageOfText(tokens: Token[], warnings: Notice[]): Promise<string> {
  const guess = await guessLanguage(tokens);
  warnings.push({ message: guess.message });
  return guess.lang;
}

/** Parses the body; a part nested deeper than markdown-it follows would be lost, so it is an error. */
export function parseMarkdown(body: string, bodyStartLine: number): Token[] {
  const env: MarkdownEnv = {};
  const tokens = markdown.parse(body, env);
  if (env.tooDeepAtLine !== undefined) {
    throw new GalleyError(`lists or quotes are nested more than ${maxNesting(markdown)} levels deep here: galley would lose what follows`, {
      line: env.tooDeepAtLine + bodyStartLine,
    });
  }
  return tokens;
}

/** Markdown links are rewritten or unwrapped on their tokens; raw HTML links are only reported here. */
export function checkLinks(
  tokens: Token[],
  scan: TokenScan,
  linkBase: string | undefined,
  bodyStartLine: number,
  warnings: Notice[],
  ids: ReadonlySet<string> = documentIds(tokens, scan.rawIds),
): void {
  checkMarkdownLinks(tokens, ids, linkBase, bodyStartLine, warnings);
  for (const { href, line } of scan.rawLinks) {
    const problem = linkProblem(resolveLink(href, linkBase), ids);
    if (problem) warnings.push({ line, message: problem });
  }
}
