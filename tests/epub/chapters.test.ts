import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { planChapters, tocTree, type TocEntry } from '../../src/epub/chapters.js';

const FIXTURES = path.resolve('tests/fixtures/epub');

/** A table of contents as titles, children in brackets. */
function outline(entries: TocEntry[]): unknown[] {
  return entries.map((entry) => (entry.children.length ? [entry.title, outline(entry.children)] : entry.title));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-chapters-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('chapters', () => {
  it('splits at the heading level asked for, and nests the table of contents by level', async () => {
    const doc = await loadDocument(path.join(FIXTURES, 'split-levels.md'));
    const byLevel = (level: number) => planChapters(doc, level);

    expect(byLevel(1).map((chapter) => chapter.title)).toEqual(['Parts and chapters']);
    expect(outline(tocTree(byLevel(2)).entries)).toEqual(['Parts and chapters', 'Part one', 'Part two']);
    expect(outline(tocTree(byLevel(3)).entries)).toEqual([
      'Parts and chapters',
      ['Part one', ['First chapter', 'Second chapter']],
      'Part two',
    ]);
    expect(tocTree(byLevel(3)).depth).toBe(2);
    expect(outline(tocTree(byLevel(4)).entries)).toEqual([
      'Parts and chapters',
      ['Part one', ['First chapter', ['Second chapter', ['A subheading that stays inside']]]],
      'Part two',
    ]);
    expect(tocTree(byLevel(4)).depth).toBe(3);
  });

  it('numbers files, ids and play order in reading order', async () => {
    const chapters = planChapters(await loadDocument(path.join(FIXTURES, 'split-levels.md')), 3);
    expect(chapters.map(({ id, href, level, opening }) => [id, href, level, opening])).toEqual([
      ['chapter-1', 'section-01.xhtml', 2, true],
      ['chapter-2', 'section-02.xhtml', 2, false],
      ['chapter-3', 'section-03.xhtml', 3, false],
      ['chapter-4', 'section-04.xhtml', 3, false],
      ['chapter-5', 'section-05.xhtml', 2, false],
    ]);
    const { entries } = tocTree(chapters);
    expect(entries[1]!.children.map((entry) => entry.playOrder)).toEqual([3, 4]);
  });

  it('keeps duplicate headings apart', async () => {
    const chapters = planChapters(await loadDocument(path.join(FIXTURES, 'duplicate-headings.md')), 2);
    expect(chapters.map((chapter) => [chapter.title, chapter.href, chapter.headingId])).toEqual([
      ['Background, twice', 'section-01.xhtml', undefined],
      ['Background', 'section-02.xhtml', 'background'],
      ['Background', 'section-03.xhtml', 'background-1'],
      ['Background', 'section-04.xhtml', 'background-2'],
    ]);
  });

  it('names a chapter whose heading has no text by its images, else by its number', async () => {
    await copyFile(path.join(FIXTURES, 'bars.png'), path.join(dir, 'bars.png'));
    const file = path.join(dir, 'doc.md');
    await writeFile(file, '---\ntitle: T\n---\nOpening.\n\n## ![Bar chart](bars.png)\n\nA.\n\n##\n\nB.\n\n## \u0001\n\nC.\n');
    const chapters = planChapters(await loadDocument(file), 2);
    expect(chapters.map((chapter) => chapter.title)).toEqual(['T', 'Bar chart', '\u00a7 3', '\u00a7 4']);
    expect(chapters.map((chapter) => chapter.headingId === undefined)).toEqual([true, false, true, true]);
  });

  it('starts with the first heading when nothing comes before it', async () => {
    const file = path.join(dir, 'doc.md');
    await writeFile(file, '---\ntitle: T\n---\n## One\n\nA.\n\n## Two\n\nB.\n');
    expect(planChapters(await loadDocument(file), 2).map((chapter) => [chapter.title, chapter.opening])).toEqual([
      ['One', false],
      ['Two', false],
    ]);
  });
});
