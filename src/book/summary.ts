import { readFile } from 'node:fs/promises';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { parse as parseToml } from 'smol-toml';
import * as v from 'valibot';
import { GalleyError } from '../errors.js';
import type { FrontMatter } from '../settings/front-matter-schema.js';
import { FrontMatterSchema } from '../settings/front-matter-schema.js';
import { readPlanText } from './book-yaml.js';
import type { BookLocation } from './find.js';
import type { BookPlan, PlanEntry } from './plan.js';

const summaryMarkdown = new MarkdownIt({ html: false });
/** `[Title]()`: markdown-it makes no link of it. */
const DRAFT_CHAPTER = /^\[([^\]]*)\]\(\s*\)$/;

/** The `[book]` table of mdBook's book.toml, as far as galley reads it. */
const BookTomlSchema = v.object({
  book: v.optional(
    v.object({
      title: v.optional(v.string('must be text')),
      authors: v.optional(v.array(v.string('must be text'), 'must be a list of names')),
      language: v.optional(v.string('must be a language tag')),
      description: v.optional(v.string('must be text')),
      src: v.optional(v.string('must be a folder name')),
    }),
  ),
});

/** An mdBook: its book.toml (title, authors, language, description, src) and the chapters its SUMMARY.md lists. */
export async function readMdBook(location: Extract<BookLocation, { kind: 'mdbook' }>): Promise<BookPlan> {
  const { root } = location;
  const toml = location.tomlFile ? await readBookToml(location.tomlFile) : undefined;
  const chapterDir = toml?.src ? path.resolve(root, toml.src) : path.dirname(location.planFile);
  if (path.relative(root, chapterDir).startsWith('..'))
    throw new GalleyError(`book.src "${toml?.src}" is outside the book's folder`, { file: location.tomlFile });
  const planFile = path.join(chapterDir, 'SUMMARY.md');
  const text = await readPlanText(planFile).catch((error: unknown) => {
    throw error instanceof GalleyError && location.tomlFile
      ? new GalleyError(`the book has no ${path.relative(root, planFile)}`, { file: location.tomlFile })
      : error;
  });
  const warnings: BookPlan['warnings'] = [];
  const entries = summaryEntries(summaryMarkdown.parse(text, {}), planFile, (notice) => warnings.push({ file: planFile, notice }));
  if (entries.length === 0)
    throw new GalleyError('lists no chapters: each is a link, such as - [Introduction](intro.md)', { file: planFile, line: 1 });
  const planFiles = [...(location.tomlFile ? [location.tomlFile] : []), planFile];
  return { root, planFile, chapterDir, planFiles, metadata: toml?.metadata ?? {}, chapterStart: 'next', entries, warnings };
}

async function readBookToml(file: string): Promise<{ metadata: FrontMatter; src: string | undefined }> {
  let data: unknown;
  try {
    data = parseToml(await readFile(file, 'utf8'));
  } catch (error) {
    const line = (error as { line?: number }).line;
    throw new GalleyError(`not valid TOML: ${(error as Error).message.split('\n')[0]}`, { file, line });
  }
  const parsed = v.safeParse(BookTomlSchema, data);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new GalleyError(`${(issue.path ?? []).map((item) => String(item.key)).join('.')} ${issue.message}`, { file });
  }
  const book = parsed.output.book ?? {};
  const candidate = { title: book.title, author: book.authors, lang: book.language, description: book.description };
  const checked = v.safeParse(FrontMatterSchema, Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined)));
  if (!checked.success) {
    const issue = checked.issues[0];
    throw new GalleyError(`book.${tomlKey(String(issue.path?.[0]?.key ?? ''))} ${issue.message}`, { file });
  }
  return { metadata: checked.output, src: book.src };
}

const tomlKey = (key: string): string => ({ author: 'authors', lang: 'language' })[key] ?? key;

/**
 * mdBook's SUMMARY.md: a title, then prefix chapters (links in paragraphs), then numbered chapters
 * (nested lists of links), under part titles (`# Part`), separated by `---`, then suffix chapters.
 * A draft chapter, `[Title]()`, has no file yet: it is left out, with a warning.
 */
function summaryEntries(tokens: Token[], planFile: string, warn: (notice: { line: number; message: string }) => void): PlanEntry[] {
  const top: PlanEntry[] = [];
  let part: PlanEntry | undefined;
  let seenTitle = false;
  let lastChapter: PlanEntry | undefined;
  const listStack: { entries: PlanEntry[]; owner: PlanEntry | undefined }[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    const line = (token.map?.[0] ?? 0) + 1;
    if (token.type === 'heading_open' && listStack.length === 0) {
      const title = tokens[index + 1]!.content.trim();
      if (!seenTitle && top.length === 0) seenTitle = true;
      else {
        part = { kind: 'part', title, line, children: [] };
        top.push(part);
      }
      index += 2;
    } else if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      const owner = listStack.length === 0 ? undefined : lastChapter;
      const entries = owner ? owner.children : part ? part.children : top;
      listStack.push({ entries, owner });
    } else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') {
      listStack.pop();
    } else if (token.type === 'inline') {
      const into = listStack.at(-1)?.entries ?? top;
      const found = chapterLinks(token, line, planFile);
      const draft = DRAFT_CHAPTER.exec(token.content.trim());
      if (draft) warn({ line, message: `"${draft[1]}" is a draft chapter (it has no file): it is left out` });
      else if (listStack.length > 0 && found.length === 0 && token.content.trim() !== '')
        throw new GalleyError(`"${token.content.trim()}" is not a link to a chapter: write - [Title](file.md)`, { file: planFile, line });
      for (const chapter of found) {
        into.push(chapter);
        lastChapter = chapter;
      }
      if (listStack.length > 0 && found.length === 0) lastChapter = undefined;
    }
  }
  return top;
}

function chapterLinks(inline: Token, firstLine: number, planFile: string): PlanEntry[] {
  const found: PlanEntry[] = [];
  const children = inline.children ?? [];
  let line = firstLine;
  for (let index = 0; index < children.length; index += 1) {
    const child = children[index]!;
    if (child.type === 'softbreak' || child.type === 'hardbreak') line += 1;
    if (child.type !== 'link_open') continue;
    const href = child.attrGet('href') ?? '';
    if (href === '') continue;
    let title = '';
    for (let next = index + 1; next < children.length && children[next]!.type !== 'link_close'; next += 1) title += children[next]!.content;
    title = title.trim();
    if (/^[a-z][a-z0-9+.-]*:/i.test(href))
      throw new GalleyError(`"${title}" links to ${href}: a chapter must be a file of the book`, { file: planFile, line });
    let file: string;
    try {
      file = decodeURIComponent(href.replace(/#.*$/, ''));
    } catch {
      throw new GalleyError(`"${title}" has a malformed path`, { file: planFile, line });
    }
    found.push({ kind: 'chapter', file, title: title || undefined, line, children: [] });
  }
  return found;
}
