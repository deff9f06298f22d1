import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { diagramFences, diagramPlace } from '../document/diagrams.js';
import type Token from 'markdown-it/lib/token.mjs';
import { bylineTokens, headingTokens, MAX_HEADING_LEVEL, rebaseImages, renumberNotes, setLevels, textInline } from './chapter-tokens.js';
import { GalleyError } from '../errors.js';
import { isMarkdownFile } from '../sources.js';
import { checkLinks, languageOfText, type LoadedDocument, type LoadOptions } from '../document/load.js';
import { toMetadata } from '../document/markdown-file.js';
import { slugify } from '../document/markdown.js';
import type { BookUnit, DocumentModel, ImageResource, Notice, SourceFile } from '../document/model.js';
import { resolveCover, resolveImages } from '../document/resources.js';
import { scanTokens, type TokenScan } from '../document/scan.js';
import { splitSections } from '../document/sections.js';
import { resolveDocumentSettings } from '../settings/resolve.js';
import { claimIds, linkIntoBook, uniqueId, type ChapterIds } from './book-links.js';
import { readBookYaml } from './book-yaml.js';
import { originalLine, readChapter, type ChapterSource } from './chapter-source.js';
import type { BookLocation } from './find.js';
import type { BookPlan, PlanEntry } from './plan.js';
import { readMdBook } from './summary.js';

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
    for (const place of diagramFences(loaded.doc.blocks, loaded.doc.footnotes.values()).map(diagramPlace)) {
      if (place) place.file = shown(place.file);
    }
    return loaded;
  } catch (error) {
    if (error instanceof GalleyError && error.file) throw new GalleyError(error.message, { file: shown(error.file), line: error.line });
    throw error;
  }
}

async function readBook(location: BookLocation, root: string, given: string, options: LoadOptions): Promise<LoadedDocument> {
  const plan = await readPlan(location, root);
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

  const assembly = assembleUnits(placed, chapters, { root, lang });
  const images = new Map<string, ImageResource>();
  for (const { chapter, scan, notices } of assembly.units) {
    if (!chapter || !scan) continue;
    const allTokens = [...chapter.blocks, ...[...chapter.footnotes.values()].flat()];
    const lineOf = (block: Token, breaks: number) => (block.map ? block.map[0] + chapter.bodyStartLine + breaks : undefined);
    linkIntoBook(allTokens, assembly.idsByFile.get(chapter.path)!, assembly.idsByFile, lineOf, notices);
    checkLinks(allTokens, scan, settings.linkBase, chapter.bodyStartLine, notices, assembly.ids);
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

  const units = assembly.units.map(({ unit }) => unit);
  const blocks = units.flatMap((unit) => unit.blocks);
  const doc: DocumentModel = {
    sourcePath: given,
    folder: root,
    sources: await sourceFiles(plan, chapterList, root),
    book: { units, chapterStart: plan.chapterStart },
    name,
    metadata,
    blocks,
    sections: splitSections(blocks, metadata.title),
    footnotes: new Map(chapterList.flatMap((chapter) => [...chapter.footnotes])),
    images,
    cover,
    warnings,
    modified: new Date(Math.max(...chapterList.map((chapter) => chapter.modified.getTime()))),
    linkBase: settings.linkBase,
  };
  return { doc, settings };
}

async function readPlan(location: BookLocation, root: string): Promise<BookPlan> {
  const inRoot = (file: string) => path.join(root, path.relative(location.root, file));
  if (location.kind === 'yaml') return readBookYaml(root, inRoot(location.planFile));
  return readMdBook({ ...location, root, planFile: inRoot(location.planFile), tomlFile: location.tomlFile && inRoot(location.tomlFile) });
}

/** A part or a chapter as assembled, with what its links and images are checked with. */
interface AssembledUnit {
  unit: BookUnit;
  chapter?: ChapterSource | undefined;
  scan?: TokenScan | undefined;
  notices: Notice[];
}

/**
 * Makes each plan entry a unit of the book: a part's heading, or a chapter's title heading, byline
 * and blocks, its headings set below its level, its notes and ids made unique in the book.
 */
function assembleUnits(
  placed: PlacedEntry[],
  chapters: (ChapterSource | undefined)[],
  { root, lang }: { root: string; lang: string },
): { units: AssembledUnit[]; idsByFile: Map<string, ChapterIds>; ids: Set<string> } {
  const taken = new Set<string>();
  let nextNote = 0;
  const idsByFile = new Map<string, ChapterIds>();
  const units = placed.map(({ entry, level }, index): AssembledUnit => {
    const chapter = chapters[index];
    if (!chapter) {
      const title = entry.kind === 'part' ? entry.title : '';
      const headingId = uniqueId(slugify(title), taken);
      const blocks = headingTokens(level, headingId, 'part-title', textInline(title));
      return { unit: { kind: 'part', title, headingId, level, blocks, footnoteIds: [], lang: undefined }, notices: [] };
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
    if (chapterLang)
      for (const token of blocks) if (token.type === 'heading_open') token.meta = { ...(token.meta as object), lang: chapterLang };
    const footnoteIds = [...chapter.footnotes.keys()];
    return {
      unit: { kind: 'chapter', title: chapter.title, headingId, level, blocks, footnoteIds, lang: chapterLang },
      chapter,
      scan,
      notices,
    };
  });
  const ids = new Set(taken);
  for (let note = 1; note <= nextNote; note += 1) ids.add(`fn${note}`).add(`fnref${note}`);
  return { units, idsByFile, ids };
}

/** The plan's files, each chapter and each file it includes, for the manifest and the PDF's attachments. */
async function sourceFiles(plan: BookPlan, chapters: ChapterSource[], root: string): Promise<SourceFile[]> {
  const planFiles = await Promise.all(
    plan.planFiles.map(async (file) => ({ path: file, name: path.relative(root, file), bytes: await readFile(file) })),
  );
  const chapterFiles = chapters.flatMap((chapter) => [
    { path: chapter.path, name: path.relative(root, chapter.path), bytes: chapter.bytes },
    ...chapter.included.map((file) => ({ path: file.path, name: path.relative(root, file.path), bytes: file.bytes })),
  ]);
  return uniqueSources([...planFiles, ...chapterFiles]);
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
