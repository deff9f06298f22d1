import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { chapterHref, planChapters, tocTree, type PlannedChapter, type Subheading, type TocEntry } from '../../src/epub/chapters.js';

const FIXTURES = path.resolve('tests/fixtures/epub');

/** A table of contents as titles, children in brackets. */
function outline(entries: TocEntry[]): unknown[] {
  return entries.map((entry) => (entry.children.length ? [entry.title, outline(entry.children)] : entry.title));
}

/** Every entry, each before its children: the order a reader meets them in. */
function flatten(entries: TocEntry[]): TocEntry[] {
  return entries.flatMap((entry) => [entry, ...flatten(entry.children)]);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-chapters-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function tocOf(markdown: string, splitLevel = 2) {
  const file = path.join(dir, 'doc.md');
  await writeFile(file, `---\ntitle: T\nlang: en\n---\n${markdown}`);
  return tocTree(planChapters(await loadDocument(file), splitLevel));
}

describe('chapters', () => {
  it('splits at the heading level asked for, and lists the headings one level below it under their chapter', async () => {
    const doc = await loadDocument(path.join(FIXTURES, 'split-levels.md'));
    const byLevel = (level: number) => tocTree(planChapters(doc, level));

    expect(planChapters(doc, 1).map((chapter) => chapter.title)).toEqual(['Parts and chapters']);
    expect(outline(byLevel(1).entries)).toEqual([['Parts and chapters', ['Part one', 'Part two']]]);
    expect(byLevel(1).depth).toBe(2);
    expect(outline(byLevel(2).entries)).toEqual(['Parts and chapters', ['Part one', ['First chapter', 'Second chapter']], 'Part two']);
    expect(byLevel(2).depth).toBe(2);
    expect(outline(byLevel(3).entries)).toEqual([
      'Parts and chapters',
      ['Part one', ['First chapter', ['Second chapter', ['A subheading that stays inside']]]],
      'Part two',
    ]);
    expect(byLevel(3).depth).toBe(3);
    expect(outline(byLevel(4).entries)).toEqual([
      'Parts and chapters',
      ['Part one', ['First chapter', ['Second chapter', ['A subheading that stays inside']]]],
      'Part two',
    ]);
    expect(byLevel(4).depth).toBe(3);
  });

  it('links each heading entry to its id inside its chapter file', async () => {
    const doc = await loadDocument(path.join(FIXTURES, 'split-levels.md'));
    const hrefs = (level: number) => flatten(tocTree(planChapters(doc, level)).entries).map((entry) => entry.href);
    expect(hrefs(2)).toEqual([
      'section-01.xhtml',
      'section-02.xhtml',
      'section-02.xhtml#first-chapter',
      'section-02.xhtml#second-chapter',
      'section-03.xhtml',
    ]);
    expect(hrefs(3)).toEqual([
      'section-01.xhtml',
      'section-02.xhtml',
      'section-03.xhtml',
      'section-04.xhtml',
      'section-04.xhtml#a-subheading-that-stays-inside',
      'section-05.xhtml',
    ]);
    expect(planChapters(doc, 2)[1]!.subheadings).toEqual([
      { id: 'first-chapter', title: 'First chapter' },
      { id: 'second-chapter', title: 'Second chapter' },
    ]);
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
    const all = flatten(entries);
    expect(all.map((entry) => entry.playOrder)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all.map((entry) => entry.id)).toEqual(['chapter-1', 'chapter-2', 'chapter-3', 'chapter-4', 'chapter-4-heading-1', 'chapter-5']);
  });

  it("puts a chapter's own headings before the chapters nested under it, and keeps play order and ids in reading order", async () => {
    // Closed heading gaps keep a chapter from holding both in a real document; the tree still orders them.
    const [base] = planChapters(await loadDocument(path.join(FIXTURES, 'split-levels.md')), 2);
    const chapter = (index: number, level: number, subheadings: Subheading[]): PlannedChapter => ({
      ...base!,
      id: `chapter-${index + 1}`,
      href: chapterHref(index),
      title: `C${index + 1}`,
      level,
      subheadings,
    });
    const { entries, depth } = tocTree([
      chapter(0, 1, [{ id: 'own', title: 'Own' }]),
      chapter(1, 2, [{ id: 'inside', title: 'Inside' }]),
      chapter(2, 2, []),
      chapter(3, 1, []),
    ]);
    expect(outline(entries)).toEqual([['C1', ['Own', ['C2', ['Inside']], 'C3']], 'C4']);
    expect(depth).toBe(3);
    const all = flatten(entries);
    expect(all.map((entry) => entry.href)).toEqual([
      'section-01.xhtml',
      'section-01.xhtml#own',
      'section-02.xhtml',
      'section-02.xhtml#inside',
      'section-03.xhtml',
      'section-04.xhtml',
    ]);
    expect(all.map((entry) => entry.playOrder)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(all.map((entry) => entry.id)).size).toBe(all.length);
  });

  it("lists the opening chapter's own headings under it", async () => {
    const { entries } = await tocOf('Before the first part.\n\n## Early note\n\nText.\n\n# One\n\n## Inside one\n\nA.\n', 1);
    expect(outline(entries)).toEqual([
      ['T', ['Early note']],
      ['One', ['Inside one']],
    ]);
    expect(entries[0]!.children[0]!.href).toBe('section-01.xhtml#early-note');
  });

  it('leaves out blank headings and headings deeper than one below the split level, and names image headings by their alt text', async () => {
    await copyFile(path.join(FIXTURES, 'bars.png'), path.join(dir, 'bars.png'));
    const { entries } = await tocOf(
      [
        '## One',
        '',
        '###',
        '',
        '### \u0001',
        '',
        '#### Too deep',
        '',
        '### ![Bar chart](bars.png)',
        '',
        '### ![](bars.png)',
        '',
        '### `code` and *words*',
        '',
      ].join('\n'),
    );
    expect(outline(entries)).toEqual([['One', ['Bar chart', '\u00a7 1.2', 'code and words']]]);
  });

  it('escapes in the link what a URL fragment cannot hold, and keeps letters of any script', async () => {
    const { entries } = await tocOf('## One\n\n### Percent {#a%b}\n\n### 스택 영역\n');
    expect(entries[0]!.children.map((entry) => entry.href)).toEqual(['section-01.xhtml#a%25b', 'section-01.xhtml#스택-영역']);
  });

  it('keeps duplicate headings apart', async () => {
    const chapters = planChapters(await loadDocument(path.join(FIXTURES, 'duplicate-headings.md')), 2);
    expect(chapters.map((chapter) => [chapter.title, chapter.href, chapter.headingId])).toEqual([
      ['Background, twice', 'section-01.xhtml', undefined],
      ['Background', 'section-02.xhtml', 'background'],
      ['Background', 'section-03.xhtml', 'background-1'],
      ['Background', 'section-04.xhtml', 'background-2'],
    ]);
    const { entries } = await tocOf('## A\n\n### Same\n\n## B\n\n### Same\n');
    expect(flatten(entries).map((entry) => entry.href)).toEqual([
      'section-01.xhtml',
      'section-01.xhtml#same',
      'section-02.xhtml',
      'section-02.xhtml#same-1',
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
