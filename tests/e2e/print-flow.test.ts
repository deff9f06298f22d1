import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readPdf, type PdfLine, type PdfReadBack } from '../helpers/pdf.js';

const TITLE = 'Pagination under test';
// Paragraph lengths in words: 1 to about 9 lines on A5, every other one of 2 or 3 lines.
const LENGTHS = [45, 120, 40, 150, 38, 100, 22, 130, 42, 90, 36, 110];

/**
 * Every word names its paragraph (p7) or row (r3), so each printed line can be traced back.
 * `shift` changes the paragraphs' lengths and adds lines at the start: the page breaks fall elsewhere.
 */
function flowDocument(shift: number): string {
  const blocks = [`---\ntitle: ${TITLE}\nlang: en\n---`, ...Array.from({ length: shift }, () => 'Lead.')];
  let paragraph = 0;
  for (let section = 1; section <= 24; section += 1) {
    blocks.push(`## Heading ${section}`);
    for (let count = 0; count < 1 + (section % 4); count += 1) {
      paragraph += 1;
      blocks.push(Array.from({ length: LENGTHS[(paragraph + shift) % LENGTHS.length]! }, () => `p${paragraph}`).join(' '));
    }
    if (section % 3 === 0)
      blocks.push(`![Figure ${section}](bars.png "Figure ${section}: ${'a caption long enough to be set on three lines, '.repeat(4)}")`);
  }
  const rows = Array.from(
    { length: 60 },
    (_, row) => `| r${row} | ${Array.from({ length: 20 + (row % 4) * 16 }, () => `r${row}`).join(' ')} | r${row} |`,
  );
  blocks.push('## The table', `| Row | Description | Notes |\n| --- | --- | --- |\n${rows.join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
}

/** The lines of the text block: the running header and the footer left out. */
function bodyLines(page: PdfLine[]): string[] {
  return page.map((line) => line.text.trim()).filter((text) => text !== TITLE && !/^\d+ of \d+$/.test(text));
}

function paragraphOf(line: string): string | undefined {
  return /^p\d+/.exec(line)?.[0];
}

const SHIFTS = [0, 1, 2, 3, 4, 5, 6, 7];

describe('pagination of the print edition (A5), with page breaks falling in eight different places', () => {
  let dir: string;
  let pdfs: PdfReadBack[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-flow-'));
    const source = path.join(dir, 'source');
    await mkdir(source);
    await copyFile('tests/fixtures/print/bars.png', path.join(source, 'bars.png'));
    for (const shift of SHIFTS) await writeFile(path.join(source, `flow-${shift}.md`), flowDocument(shift));
    const run = await runCli('build', source, '--out', dir, '--format', 'pdf', '--paper', 'a5');
    expect(run.code, run.stderr).toBe(0);
    pdfs = await Promise.all(SHIFTS.map((shift) => readPdf(path.join(dir, `flow-${shift}.pdf`))));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('spans enough pages to put headings, paragraphs, figures and rows at page ends', () => {
    for (const pdf of pdfs) expect(pdf.pages.length).toBeGreaterThanOrEqual(12);
  });

  it('never ends a page with a heading', () => {
    const pageEnds = pdfs.flatMap((pdf) => pdf.lines.slice(0, -1).map((page) => bodyLines(page).at(-1)));
    expect(pageEnds.filter((line) => /^Heading \d+$|^The table$/.test(line ?? ''))).toEqual([]);
  });

  it('leaves at least 2 lines of a paragraph at the foot of a page and at the head of the next', () => {
    const splits = pdfs.flatMap(paragraphSplits);
    expect(splits.length).toBeGreaterThan(SHIFTS.length);
    for (const split of splits) expect(split).toMatch(/: ([2-9]|\d\d+) \+ ([2-9]|\d\d+)$/);
  });

  it('keeps each figure with its caption', () => {
    for (const pdf of pdfs) {
      pdf.lines.forEach((page, index) => {
        const captions = bodyLines(page).filter((line) => /^Figure \d+:/.test(line));
        expect(pdf.images[index]!.length, `page ${index + 1}`).toBe(captions.length);
        const first = bodyLines(page)[0] ?? '';
        const continuesCaption = /caption long enough|three lines/.test(first) && !/^Figure \d+:/.test(first);
        expect(continuesCaption, `page ${index + 1} starts with the end of a caption`).toBe(false);
      });
      expect(pdf.images.flat()).toHaveLength(8);
    }
  });

  it('never splits a table row, and repeats the header row on each page of the table', () => {
    for (const pdf of pdfs) {
      const pagesOfRow = new Map<string, Set<number>>();
      pdf.lines.forEach((page, index) => {
        const lines = bodyLines(page);
        const firstRow = lines.findIndex((line) => /^r\d+/.test(line));
        if (firstRow < 0) return;
        expect(lines[firstRow - 1], `page ${index + 1}`).toMatch(/^Row Description Notes$/);
        for (const line of lines) {
          const row = /^r\d+/.exec(line)?.[0];
          if (row) pagesOfRow.set(row, (pagesOfRow.get(row) ?? new Set()).add(index));
        }
      });
      expect(pagesOfRow.size).toBe(60);
      expect(new Set([...pagesOfRow.values()].flatMap((pages) => [...pages])).size).toBeGreaterThan(1);
      for (const [row, pages] of pagesOfRow) expect(pages.size, row).toBe(1);
    }
  });
});

/** Each paragraph that runs from one page onto the next, as "p7: lines before + lines after". */
function paragraphSplits(pdf: PdfReadBack): string[] {
  const splits: string[] = [];
  pdf.lines.slice(0, -1).forEach((page, index) => {
    const before = bodyLines(page);
    const after = bodyLines(pdf.lines[index + 1]!);
    const id = paragraphOf(before.at(-1) ?? '');
    if (!id || paragraphOf(after[0] ?? '') !== id) return;
    const count = (lines: string[]) => lines.filter((line) => paragraphOf(line) === id).length;
    splits.push(`${id}: ${count(before)} + ${count(after)}`);
  });
  return splits;
}
