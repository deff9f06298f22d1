import type Token from 'markdown-it/lib/token.mjs';
import { plainText } from './markdown.js';
import { htmlIdsOf } from './scan.js';
import type { Section } from './model.js';
import { DEFAULT_SPLIT_LEVEL } from '../settings/defaults.js';

/** Takes markdown-it-footnote's tail off the token stream, one token group per note. */
export function splitFootnoteTail(tokens: Token[]): { blocks: Token[]; footnotes: Map<number, Token[]> } {
  const tailStart = tokens.findIndex((token) => token.type === 'footnote_block_open');
  if (tailStart < 0) return { blocks: tokens, footnotes: new Map() };
  const footnotes = new Map<number, Token[]>();
  let group: Token[] | undefined;
  for (const token of tokens.slice(tailStart)) {
    if (token.type === 'footnote_open') {
      group = [];
      footnotes.set(token.meta.id as number, group);
    }
    group?.push(token);
    if (token.type === 'footnote_close') group = undefined;
  }
  return { blocks: tokens.slice(0, tailStart), footnotes };
}

export { DEFAULT_SPLIT_LEVEL };

/**
 * The default split level for these blocks: 2, or the highest level their headings use when none
 * is `#` or `##` (a chapter of a book whose title heading is `##` and whose sections are `###`).
 */
export function naturalSplitLevel(blocks: Token[]): number {
  const levels = blocks.filter((token) => token.type === 'heading_open').map((token) => Number(token.tag.slice(1)));
  return levels.length === 0 ? DEFAULT_SPLIT_LEVEL : Math.max(DEFAULT_SPLIT_LEVEL, Math.min(...levels));
}

/**
 * The level a heading counts as when the document is split: its own, or in a book, its level within
 * its chapter (a part's or a chapter's title is 1, the chapter's `##` 2), whatever its depth in the book.
 */
export function sectionLevel(headingOpen: Token): number {
  return (headingOpen.meta as { sectionLevel?: number } | null)?.sectionLevel ?? Number(headingOpen.tag.slice(1));
}

/**
 * Splits the blocks at each heading of `level` or above (2: at every `#` and `##`; see sectionLevel).
 * Text before the first such heading is the opening section, titled with the document's title.
 */
export function splitSections(blocks: Token[], documentTitle: string, level = 2): Section[] {
  const sections: Section[] = [];
  let current = newSection(documentTitle, undefined);
  blocks.forEach((token, index) => {
    if (token.type === 'heading_open' && sectionLevel(token) <= level) {
      if (current.tokens.length > 0 || !current.opening) sections.push(current);
      current = newSection(plainText(blocks[index + 1]!), token.attrGet('id') ?? undefined);
      current.lang = (token.meta as { lang?: string } | null)?.lang;
    }
    recordIds(current, token);
    current.tokens.push(token);
  });
  if (current.tokens.length > 0 || !current.opening) sections.push(current);
  return sections;
}

function newSection(title: string, headingId: string | undefined): Section {
  return { title, headingId, opening: headingId === undefined, tokens: [], anchorIds: new Set(), footnoteIds: [] };
}

function recordIds(section: Section, token: Token): void {
  const id = token.attrGet('id');
  if (id) section.anchorIds.add(id);
  for (const rawId of htmlIdsOf(token)) section.anchorIds.add(rawId);
  for (const child of token.children ?? []) {
    for (const rawId of htmlIdsOf(child)) section.anchorIds.add(rawId);
    const childId = child.attrGet('id');
    if (childId) section.anchorIds.add(childId);
    if (child.type !== 'footnote_ref') continue;
    const noteId = child.meta.id as number;
    if (!section.footnoteIds.includes(noteId)) section.footnoteIds.push(noteId);
    section.anchorIds.add(`fn${noteId + 1}`);
  }
}
