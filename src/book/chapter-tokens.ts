import path from 'node:path';
import Token from 'markdown-it/lib/token.mjs';
import type { ChapterSource } from './chapter-source.js';

/** Headings go no deeper than h6: a chapter nested deep in a book keeps its lowest headings at 6. */
export const MAX_HEADING_LEVEL = 6;
const SCHEME = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/** Note ids are numbered across the book, so that each chapter's notes keep their own. Returns the next free id. */
export function renumberNotes(chapter: ChapterSource, first: number): number {
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
export function rebaseImages(tokens: Token[], chapterDir: string, root: string): void {
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

/** Each heading of a chapter set below the chapter's own level; the level it has in the chapter is kept for splitting. */
export function setLevels(tokens: Token[], chapterLevel: number): void {
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

export function headingTokens(level: number, id: string, className: string, inline: Token): Token[] {
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

export function textInline(content: string): Token {
  const inline = new Token('inline', '', 0);
  inline.content = content;
  const text = new Token('text', '', 0);
  text.content = content;
  inline.children = [text];
  return inline;
}

/** A chapter's own authors (a collection's, a reader's), set under its title. */
export function bylineTokens(authors: string[]): Token[] {
  if (authors.length === 0) return [];
  const open = new Token('paragraph_open', 'p', 1);
  open.attrs = [['class', 'chapter-byline']];
  open.block = true;
  const close = new Token('paragraph_close', 'p', -1);
  close.block = true;
  return [open, textInline(authors.join(', ')), close];
}
