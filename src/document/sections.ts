import type Token from 'markdown-it/lib/token.mjs';
import { plainText } from './markdown.js';
import type { Section } from './model.js';

/**
 * Splits the token stream at each `##` heading. Text before the first one is the opening section,
 * titled with the document's title. markdown-it-footnote's tail is taken apart, one group per note.
 */
export function splitSections(tokens: Token[], documentTitle: string): { sections: Section[]; footnotes: Map<number, Token[]> } {
  const tailStart = tokens.findIndex((token) => token.type === 'footnote_block_open');
  const body = tailStart < 0 ? tokens : tokens.slice(0, tailStart);
  const footnotes = tailStart < 0 ? new Map<number, Token[]>() : footnoteGroups(tokens.slice(tailStart));

  const sections: Section[] = [];
  let current = newSection(documentTitle, undefined);
  body.forEach((token, index) => {
    if (token.type === 'heading_open' && token.tag === 'h2') {
      if (current.tokens.length > 0 || current.headingId !== undefined) sections.push(current);
      current = newSection(plainText(body[index + 1]!), token.attrGet('id') ?? undefined);
    }
    recordIds(current, token);
    current.tokens.push(token);
  });
  if (current.tokens.length > 0 || current.headingId !== undefined) sections.push(current);
  return { sections, footnotes };
}

function newSection(title: string, headingId: string | undefined): Section {
  return { title, headingId, tokens: [], anchorIds: new Set(), footnoteIds: [] };
}

function recordIds(section: Section, token: Token): void {
  const id = token.attrGet('id');
  if (id) section.anchorIds.add(id);
  for (const child of token.children ?? []) {
    if (child.type !== 'footnote_ref') continue;
    const noteId = child.meta.id as number;
    if (!section.footnoteIds.includes(noteId)) section.footnoteIds.push(noteId);
    section.anchorIds.add(`fn${noteId + 1}`);
  }
}

function footnoteGroups(tail: Token[]): Map<number, Token[]> {
  const groups = new Map<number, Token[]>();
  let group: Token[] | undefined;
  for (const token of tail) {
    if (token.type === 'footnote_open') {
      group = [];
      groups.set(token.meta.id as number, group);
    }
    group?.push(token);
    if (token.type === 'footnote_close') group = undefined;
  }
  return groups;
}
