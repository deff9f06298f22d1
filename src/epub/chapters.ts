import type Token from 'markdown-it/lib/token.mjs';
import { plainText } from '../document/markdown.js';
import type { DocumentModel, Section } from '../document/model.js';
import { sectionLevel, splitSections } from '../document/sections.js';
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
  /** Its language, when it is not the book's (a book's chapter may have its own). */
  lang: string | undefined;
  section: Section;
  /** Its headings one level below the split level, in reading order: the table of contents lists them under it. */
  subheadings: Subheading[];
}

/** A heading inside a chapter file, linked to by its id. */
export interface Subheading {
  id: string;
  title: string;
}

/** A nav and NCX entry, with the chapter's subheadings, then the chapters that lower-level headings open, nested under it. */
export interface TocEntry {
  /** Unique in the book: the NCX's navPoint ids are made from it. */
  id: string;
  href: string;
  title: string;
  /** 1, 2, 3… in reading order, as the NCX wants. */
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
    title: xmlText(section.title).trim() || headingAltText(openingHeading(section)) || `\u00a7 ${index + 1}`,
    headingId: isBlankHeading(section.tokens[1]) ? undefined : section.headingId,
    level: levels[index] ?? topLevel,
    opening: section.opening,
    lang: section.lang,
    section,
    subheadings: subheadingsOf(section, splitLevel + 1, index),
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

/** The inline content of the heading the section starts with, if it starts with one. */
function openingHeading(section: Section): Token | undefined {
  return section.tokens[0]?.type === 'heading_open' ? section.tokens[1] : undefined;
}

/** A heading made only of images is named by their alt text. */
function headingAltText(inline: Token | undefined): string {
  if (inline?.type !== 'inline') return '';
  const alt = (inline.children ?? []).filter((child) => child.type === 'image').map((child) => child.content);
  return xmlText(alt.join(' ').trim());
}

/** The section's headings of `level` that the e-book keeps, titled by their text, else their images' alt text, else their place. */
function subheadingsOf(section: Section, level: number, chapterIndex: number): Subheading[] {
  const subheadings: Subheading[] = [];
  section.tokens.forEach((token, index) => {
    const inline = section.tokens[index + 1];
    const id = token.attrGet('id');
    if (token.type !== 'heading_open' || sectionLevel(token) !== level || !inline || !id || isBlankHeading(inline)) return;
    const title = xmlText(plainText(inline)).trim() || headingAltText(inline) || `\u00a7 ${chapterIndex + 1}.${subheadings.length + 1}`;
    subheadings.push({ id, title });
  });
  return subheadings;
}

/** Nests each chapter under the nearest earlier chapter of a higher level, after that chapter's own subheadings. */
export function tocTree(chapters: PlannedChapter[]): { entries: TocEntry[]; depth: number } {
  const root: TocEntry[] = [];
  const open: { level: number; entry: TocEntry }[] = [];
  for (const chapter of chapters) {
    while (open.length > 0 && open[open.length - 1]!.level >= chapter.level) open.pop();
    const subheadings = chapter.subheadings.map(
      (subheading, index): TocEntry => ({
        id: `${chapter.id}-heading-${index + 1}`,
        href: `${chapter.href}#${fragment(subheading.id)}`,
        title: subheading.title,
        playOrder: 0,
        children: [],
      }),
    );
    const entry: TocEntry = { id: chapter.id, href: chapter.href, title: chapter.title, playOrder: 0, children: subheadings };
    (open[open.length - 1]?.entry.children ?? root).push(entry);
    open.push({ level: chapter.level, entry });
  }
  numberInReadingOrder(root, 1);
  return { entries: root, depth: depthOf(root) };
}

/** An id as a URL fragment: `%` and the characters a fragment may not hold are escaped; other letters stay as written. */
function fragment(id: string): string {
  return id.replace(/[%#"<>\\^`{|}\s\u0000-\u001f\u007f]/gu, (character) => encodeURIComponent(character));
}

/** Gives each entry, then its children, the next play order; returns the one after the last given. */
function numberInReadingOrder(entries: TocEntry[], first: number): number {
  let next = first;
  for (const entry of entries) {
    entry.playOrder = next;
    next = numberInReadingOrder(entry.children, next + 1);
  }
  return next;
}

function depthOf(entries: TocEntry[]): number {
  return entries.reduce((deepest, entry) => Math.max(deepest, 1 + depthOf(entry.children)), 0);
}
