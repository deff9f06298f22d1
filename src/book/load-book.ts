import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import Token from 'markdown-it/lib/token.mjs';
import { GalleyError } from '../errors.js';
import { isMarkdownFile } from '../sources.js';
import { checkLinks, languageOfText, toMetadata, type LoadedDocument, type LoadOptions } from '../document/load.js';
import { slugify } from '../document/markdown.js';
import type { BookUnit, DocumentModel, ImageResource, Notice, SourceFile } from '../document/model.js';
import { resolveCover, resolveImages } from '../document/resources.js';
import { scanTokens } from '../document/scan.js';
import { splitSections } from '../document/sections.js';
import { resolveDocumentSettings } from '../settings/resolve.js';
import { claimIds, linkIntoBook, uniqueId, type ChapterIds } from './book-links.js';
import { readBookYaml } from './book-yaml.js';
import { originalLine, readChapter, type ChapterSource } from './chapter-source.js';
import type { BookLocation } from './find.js';
import type { BookPlan, PlanEntry } from './plan.js';
import { readMdBook } from './summary.js';

const MAX_HEADING_LEVEL = 6;

/** A plan entry placed in the book: its level, and for a chapter its file. */
type PlacedEntry = { entry: PlanEntry; level: number; file: string | undefined };

/**
 * Reads a book (a folder with book.yaml, or an mdBook) into one document model: its parts and
 * chapters in order, each chapter's headings set below its level in the book, ids unique across
 * the book, links between chapters made internal, and every image checked once.
 */
export async function loadBook(location: BookLocation, given: string, options: LoadOptions): Promise<LoadedDocument> {
  const root = await realpath(location.root);
  // Files are named as the user named the book: `content/handbook/ch1.md`, not its real path.
  const shown = (file: string | undefined) => (file?.startsWith(root + path.sep) ? path.join(given, path.relative(root, file)) : file);
  try {
    const loaded = await readBook(location, root, given, options);
    for (const notice of loaded.doc.warnings) notice.file = shown(notice.file);
    return loaded;
  } catch (error) {
    if (error instanceof GalleyError && error.file) throw new GalleyError(error.message, { file: shown(error.file), line: error.line });
    throw error;
  }
}

async function readBook(location: BookLocation, root: string, given: string, options: LoadOptions): Promise<LoadedDocument> {
  const inRoot = (file: string) => path.join(root, path.relative(location.root, file));
  const plan =
    location.kind === 'yaml'
      ? await readBookYaml(root, inRoot(location.planFile))
      : await readMdBook({
          ...location,
          root,
          planFile: inRoot(location.planFile),
          tomlFile: location.tomlFile && inRoot(location.tomlFile),
        });
  const placed = await placeEntries(plan);
  const limits = { root, maxBytes: options.maxDocumentBytes };
  const chapters = await Promise.all(
    placed.map(({ entry, file }) => (file && entry.kind === 'chapter' ? readChapter(file, entry.title, limits) : undefined)),
  );
  const warnings: Notice[] = plan.warnings.map(({ file, notice }) => ({ ...notice, file }));
  const chapterList = chapters.filter((chapter): chapter is ChapterSource => chapter !== undefined);
  const lang = plan.metadata.lang ?? (await bookLanguage(chapterList, warnings));
  const name = path.basename(path.resolve(given));
  const metadata = toMetadata(plan.metadata, plan.metadata.title ?? name, lang);
  const settings = resolveDocumentSettings({ flags: options, frontMatter: plan.metadata, blocks: [] });

  const taken = new Set<string>();
  let nextNote = 0;
  const idsByFile = new Map<string, ChapterIds>();
  const assembled: { unit: BookUnit; chapter?: ChapterSource; scan?: ReturnType<typeof scanTokens>; notices: Notice[] }[] = [];
  for (const [index, { entry, level }] of placed.entries()) {
    const chapter = chapters[index];
    if (!chapter) {
      const title = entry.kind === 'part' ? entry.title : '';
      const headingId = uniqueId(slugify(title), taken);
      const blocks = headingTokens(level, headingId, 'part-title', textInline(title));
      assembled.push({ unit: { kind: 'part', title, headingId, level, blocks, footnoteIds: [], lang: undefined }, notices: [] });
      continue;
    }
    const notices: Notice[] = [];
    nextNote = renumberNotes(chapter, nextNote);
    rebaseImages(chapter.blocks, path.dirname(chapter.path), root);
    const scan = scanTokens(chapter.blocks, chapter.bodyStartLine, notices);
    const headingId = uniqueId(slugify(chapter.title), taken);
    const claimed = claimIds([...chapter.blocks, ...[...chapter.footnotes.values()].flat()], scan.rawIds, taken);
    claimed.written.add(slugify(chapter.title));
    claimed.renamed.set(slugify(chapter.title), headingId);
    idsByFile.set(chapter.path, { path: chapter.path, headingId, ...claimed });
    const chapterLang = chapter.frontMatter.lang && chapter.frontMatter.lang !== lang ? chapter.frontMatter.lang : undefined;
    setLevels(chapter.blocks, level);
    const blocks = [
      ...headingTokens(level, headingId, 'chapter-title', chapter.titleInline ?? textInline(chapter.title)),
      ...bylineTokens(chapter.frontMatter.author ?? []),
      ...chapter.blocks,
    ];
    for (const token of blocks)
      if (token.type === 'heading_open' && chapterLang) token.meta = { ...(token.meta as object), lang: chapterLang };
    const footnoteIds = [...chapter.footnotes.keys()];
    const unit: BookUnit = { kind: 'chapter', title: chapter.title, headingId, level, blocks, footnoteIds, lang: chapterLang };
    assembled.push({ unit, chapter, scan, notices });
  }

  const bookIds = new Set(taken);
  for (let note = 1; note <= nextNote; note += 1) bookIds.add(`fn${note}`).add(`fnref${note}`);
  const images = new Map<string, ImageResource>();
  for (const { chapter, scan, notices } of assembled) {
    if (!chapter || !scan) continue;
    const ids = idsByFile.get(chapter.path)!;
    const allTokens = [...chapter.blocks, ...[...chapter.footnotes.values()].flat()];
    const lineOf = (block: Token, breaks: number) => (block.map ? block.map[0] + chapter.bodyStartLine + breaks : undefined);
    linkIntoBook(allTokens, ids, idsByFile, lineOf, notices);
    checkLinks(allTokens, scan, settings.linkBase, chapter.bodyStartLine, notices, bookIds);
    for (const [src, image] of await inChapter(chapter, () => resolveImages(scan.images, root, notices, options))) images.set(src, image);
    warnings.push(...chapter.warnings.map((notice) => ({ ...notice, file: chapter.path })));
    warnings.push(...notices.map((notice) => ({ ...notice, line: originalLine(chapter, notice.line), file: chapter.path })));
  }
  const cover =
    plan.metadata.cover === undefined
      ? undefined
      : await resolveCover(plan.metadata.cover, root, undefined, options.maxImageBytes, warnings).catch((error: unknown) => {
          throw error instanceof GalleyError ? error.inFile(plan.planFile) : error;
        });

  const units = assembled.map(({ unit }) => unit);
  const blocks = units.flatMap((unit) => unit.blocks);
  const footnotes = new Map(chapterList.flatMap((chapter) => [...chapter.footnotes]));
  const sources: SourceFile[] = [
    ...(await Promise.all(
      plan.planFiles.map(async (file) => ({ path: file, name: path.relative(root, file), bytes: await readFile(file) })),
    )),
    ...chapterList.flatMap((chapter) => [
      { path: chapter.path, name: path.relative(root, chapter.path), bytes: chapter.bytes },
      ...chapter.included.map((file) => ({ path: file.path, name: path.relative(root, file.path), bytes: file.bytes })),
    ]),
  ];
  const doc: DocumentModel = {
    sourcePath: given,
    folder: root,
    sources: uniqueSources(sources),
    book: { units, chapterStart: plan.chapterStart },
    name,
    metadata,
    blocks,
    sections: splitSections(blocks, metadata.title),
    footnotes,
    images,
    cover,
    warnings,
    modified: new Date(Math.max(...chapterList.map((chapter) => chapter.modified.getTime()))),
    linkBase: settings.linkBase,
  };
  return { doc, settings };
}

/** A file included by several chapters is one source. */
function uniqueSources(files: SourceFile[]): SourceFile[] {
  const seen = new Set<string>();
  return files.filter((file) => !seen.has(file.path) && seen.add(file.path));
}

/** A chapter's problem names the chapter's file and line. */
async function inChapter<T>(chapter: ChapterSource, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GalleyError && !error.file)
      throw new GalleyError(error.message, { file: chapter.path, line: originalLine(chapter, error.line) });
    throw error;
  }
}

/**
 * The entries in reading order with their levels: a part, or a chapter outside parts, is 1; each
 * entry nested under another is one more. Every chapter's file must be a Markdown file inside the
 * book's folder, listed once.
 */
async function placeEntries(plan: BookPlan): Promise<PlacedEntry[]> {
  const placed: PlacedEntry[] = [];
  const seen = new Map<string, number>();
  const visit = async (entries: PlanEntry[], level: number) => {
    for (const entry of entries) {
      let file: string | undefined;
      if (entry.kind === 'chapter') {
        const where = { file: plan.planFile, line: entry.line };
        if (!isMarkdownFile(entry.file)) throw new GalleyError(`chapter "${entry.file}" is not a Markdown file (.md)`, where);
        file = await realpath(path.resolve(plan.chapterDir, entry.file)).catch(() => {
          throw new GalleyError(`chapter "${entry.file}" not found`, where);
        });
        const relative = path.relative(plan.root, file);
        if (relative.startsWith('..') || path.isAbsolute(relative))
          throw new GalleyError(`chapter "${entry.file}" is outside the book's folder`, where);
        const first = seen.get(file);
        if (first !== undefined) throw new GalleyError(`chapter "${entry.file}" is listed twice (first on line ${first})`, where);
        seen.set(file, entry.line);
      }
      placed.push({ entry, level: Math.min(level, MAX_HEADING_LEVEL), file });
      await visit(entry.children, level + 1);
    }
  };
  await visit(plan.entries, 1);
  if (!placed.some((entry) => entry.file)) throw new GalleyError('lists no chapters', { file: plan.planFile, line: 1 });
  return placed;
}

/** The book's language, guessed from its first chapters' text. */
async function bookLanguage(chapters: ChapterSource[], warnings: Notice[]): Promise<string> {
  const sample: Token[] = [];
  for (const chapter of chapters) {
    sample.push(...chapter.blocks);
    if (sample.length > 400) break;
  }
  return languageOfText(sample, warnings);
}

/** Note ids are numbered across the book, so that each chapter's notes keep their own. Returns the next free id. */
function renumberNotes(chapter: ChapterSource, first: number): number {
  if (chapter.footnotes.size === 0) return first;
  const shift = (token: Token) => {
    if (token.type.startsWith('footnote_') && typeof (token.meta as { id?: unknown } | null)?.id === 'number') {
      token.meta = { ...(token.meta as object), id: (token.meta.id as number) + first };
    }
    for (const child of token.children ?? []) shift(child);
  };
  const groups = [...chapter.footnotes];
  for (const token of chapter.blocks) shift(token);
  for (const [, group] of groups) for (const token of group) shift(token);
  chapter.footnotes = new Map(groups.map(([id, group]) => [id + first, group]));
  return first + Math.max(...groups.map(([id]) => id)) + 1;
}

/** A chapter's image paths are its own folder's: they become the book folder's, where the book's images are kept. */
function rebaseImages(tokens: Token[], chapterDir: string, root: string): void {
  if (chapterDir === root) return;
  for (const block of tokens) {
    for (const child of block.children ?? []) {
      if (child.type !== 'image') continue;
      const src = child.attrGet('src') ?? '';
      if (SCHEME.test(src) || src === '') continue;
      let decoded: string;
      try {
        decoded = decodeURIComponent(src.replace(/[?#].*$/, ''));
      } catch {
        continue;
      }
      const relative = path.relative(root, path.resolve(chapterDir, decoded)).split(path.sep).join('/');
      child.attrSet('src', encodeURI(relative));
    }
  }
}

const SCHEME = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Each heading of a chapter set below the chapter's own level; the level it has in the chapter is kept for splitting. */
function setLevels(tokens: Token[], chapterLevel: number): void {
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const written = Number(token.tag.slice(1));
    const level = Math.min(MAX_HEADING_LEVEL, written + chapterLevel - 1);
    token.meta = { ...(token.meta as object), sectionLevel: written };
    token.tag = `h${level}`;
    const close = tokens[index + 2];
    if (close?.type === 'heading_close') close.tag = `h${level}`;
  });
}

function headingTokens(level: number, id: string, className: string, inline: Token): Token[] {
  const open = new Token('heading_open', `h${level}`, 1);
  open.markup = '#'.repeat(level);
  open.block = true;
  open.attrs = [
    ['id', id],
    ['class', className],
  ];
  open.meta = { sectionLevel: 1 };
  const close = new Token('heading_close', `h${level}`, -1);
  close.markup = open.markup;
  close.block = true;
  return [open, inline, close];
}

function textInline(content: string): Token {
  const inline = new Token('inline', '', 0);
  inline.content = content;
  const text = new Token('text', '', 0);
  text.content = content;
  inline.children = [text];
  return inline;
}

/** A chapter's own authors (a collection's, a reader's), set under its title. */
function bylineTokens(authors: string[]): Token[] {
  if (authors.length === 0) return [];
  const open = new Token('paragraph_open', 'p', 1);
  open.attrs = [['class', 'chapter-byline']];
  open.block = true;
  const close = new Token('paragraph_close', 'p', -1);
  close.block = true;
  return [open, textInline(authors.join(', ')), close];
}
