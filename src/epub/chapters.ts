import type Token from 'markdown-it/lib/token.mjs';
import type { DocumentModel, Section } from '../document/model.js';
import { splitSections } from '../document/sections.js';
import { xmlText } from './xml-text.js';

export interface PlannedChapter {
  /** Manifest id. */
  id: string;
  href: string;
  title: string;
  /** The id of the heading that opens it, if it has one with something in it. */
  headingId: string | undefined;
  /** The heading level that opens it; the opening section counts as the highest level used. */
  level: number;
  opening: boolean;
  section: Section;
}

/** A nav and NCX entry, with the chapters that a heading of a lower level opens nested under it. */
export interface TocEntry {
  id: string;
  href: string;
  title: string;
  playOrder: number;
  children: TocEntry[];
}

export function chapterHref(index: number): string {
  return `section-${String(index + 1).padStart(2, '0')}.xhtml`;
}

/** The document split into chapters at each heading of `splitLevel` or above. */
export function planChapters(doc: DocumentModel, splitLevel: number): PlannedChapter[] {
  const sections = splitSections(doc.blocks, doc.metadata.title, splitLevel);
  const levels = sections.map(headingLevel);
  const topLevel = Math.min(...levels.filter((level): level is number => level !== undefined), splitLevel);
  return sections.map((section, index) => ({
    id: `chapter-${index + 1}`,
    href: chapterHref(index),
    title: xmlText(section.title).trim() || headingAltText(section) || `\u00a7 ${index + 1}`,
    headingId: isBlankHeading(section.tokens[1]) ? undefined : section.headingId,
    level: levels[index] ?? topLevel,
    opening: section.opening,
    section,
  }));
}

/** A heading with neither text nor images (`##` alone, or control characters only): the e-book leaves it out. */
export function isBlankHeading(inline: Token | undefined): boolean {
  return (
    inline?.type === 'inline' && xmlText(inline.content).trim() === '' && !(inline.children ?? []).some((child) => child.type === 'image')
  );
}

function headingLevel(section: Section): number | undefined {
  const first = section.tokens[0];
  return first?.type === 'heading_open' ? Number(first.tag.slice(1)) : undefined;
}

/** A heading made only of images is named by their alt text. */
function headingAltText(section: Section): string {
  const inline = section.tokens[1];
  if (section.tokens[0]?.type !== 'heading_open' || inline?.type !== 'inline') return '';
  const alt = (inline.children ?? []).filter((child) => child.type === 'image').map((child) => child.content);
  return xmlText(alt.join(' ').trim());
}

/** Nests each chapter under the nearest earlier chapter of a higher level. */
export function tocTree(chapters: PlannedChapter[]): { entries: TocEntry[]; depth: number } {
  const root: TocEntry[] = [];
  const open: { level: number; entry: TocEntry }[] = [];
  let depth = 0;
  chapters.forEach((chapter, index) => {
    while (open.length > 0 && open[open.length - 1]!.level >= chapter.level) open.pop();
    const entry: TocEntry = { id: chapter.id, href: chapter.href, title: chapter.title, playOrder: index + 1, children: [] };
    const parent = open[open.length - 1];
    (parent ? parent.entry.children : root).push(entry);
    open.push({ level: chapter.level, entry });
    depth = Math.max(depth, open.length);
  });
  return { entries: root, depth };
}
