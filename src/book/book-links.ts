import path from 'node:path';
import type Token from 'markdown-it/lib/token.mjs';
import { unwrapLink } from '../document/links.js';
import type { Notice } from '../document/model.js';

/** A chapter's ids as the book sets them: each id it wrote, renamed where an earlier chapter took it. */
export interface ChapterIds {
  path: string;
  /** The id of the chapter's title heading. */
  headingId: string;
  /** What each id written in the chapter became. */
  renamed: Map<string, string>;
  /** Every id the chapter defines, as written. */
  written: Set<string>;
}

/** Every token with an `id` attribute, in the blocks and inside them. */
function* tokensWithIds(tokens: Token[]): Generator<Token> {
  for (const token of tokens) {
    if (token.attrGet('id')) yield token;
    if (token.children) yield* tokensWithIds(token.children);
  }
}

/**
 * Gives every id in the book one owner: an id an earlier chapter already uses (two chapters with
 * an "Introduction" section) becomes `introduction-2`, and the chapter's own links follow it.
 */
export function claimIds(tokens: Token[], rawIds: string[], taken: Set<string>): { renamed: Map<string, string>; written: Set<string> } {
  const renamed = new Map<string, string>();
  const written = new Set(rawIds);
  for (const id of rawIds) taken.add(id);
  for (const token of tokensWithIds(tokens)) {
    const id = token.attrGet('id')!;
    written.add(id);
    const unique = uniqueId(id, taken);
    if (unique !== id) {
      token.attrSet('id', unique);
      if (!renamed.has(id)) renamed.set(id, unique);
    }
  }
  return { renamed, written };
}

export function uniqueId(id: string, taken: Set<string>): string {
  let unique = id;
  for (let count = 2; taken.has(unique); count += 1) unique = `${id}-${count}`;
  taken.add(unique);
  return unique;
}

const SCHEME = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Points the chapter's links into the book: `#id` at the id as the book renamed it, and a link to
 * another chapter's file (`ch02.md`, `ch02.md#id`, mdBook's `ch02.html#id`) at that chapter's
 * heading or id. A link to an id the target chapter lacks is kept as text, with a warning.
 * Other links are left for the document's own checks.
 */
export function linkIntoBook(
  tokens: Token[],
  chapter: ChapterIds,
  chapters: Map<string, ChapterIds>,
  lineOf: (token: Token, offset: number) => number | undefined,
  warnings: Notice[],
): void {
  for (const block of tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children = block.children;
    let breaks = 0;
    for (let index = 0; index < children.length; index += 1) {
      const child = children[index]!;
      if (child.type === 'softbreak' || child.type === 'hardbreak') breaks += 1;
      if (child.type !== 'link_open') continue;
      const href = child.attrGet('href') ?? '';
      const target = bookTarget(href, chapter, chapters);
      if (!target) continue;
      if (target.fragment !== undefined && !target.chapter.written.has(target.fragment) && target.chapter !== chapter) {
        const name = path.basename(target.chapter.path);
        warnings.push({
          line: lineOf(block, breaks),
          message: `link to "${decodeSafely(href)}" is kept as text: ${name} has no heading or element with the id "${target.fragment}"`,
        });
        unwrapLink(children, index);
        index -= 1;
        continue;
      }
      const id =
        target.fragment === undefined ? target.chapter.headingId : (target.chapter.renamed.get(target.fragment) ?? target.fragment);
      child.attrSet('href', `#${id}`);
    }
  }
}

function bookTarget(
  href: string,
  chapter: ChapterIds,
  chapters: Map<string, ChapterIds>,
): { chapter: ChapterIds; fragment: string | undefined } | undefined {
  const trimmed = href.trim();
  if (trimmed.startsWith('#')) return { chapter, fragment: decodeSafely(trimmed.slice(1)) };
  if (SCHEME.test(trimmed) || trimmed === '') return undefined;
  const [written = '', fragment] = trimmed.split(/#(.*)$/s);
  const file = path.resolve(path.dirname(chapter.path), decodeSafely(written.replace(/\?.*$/, '')));
  const candidates = /\.html?$/i.test(file) ? [file.replace(/\.html?$/i, '.md'), file.replace(/\.html?$/i, '.markdown')] : [file];
  // mdBook serves a chapter's README.md as index.html.
  if (/(^|[/\\])index\.html?$/i.test(file)) candidates.push(path.join(path.dirname(file), 'README.md'));
  const found = candidates.map((candidate) => chapters.get(candidate)).find(Boolean);
  return found ? { chapter: found, fragment: fragment ? decodeSafely(fragment) : undefined } : undefined;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
