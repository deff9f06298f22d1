import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { flat, readPdf, type PdfReadBack } from '../helpers/pdf.js';

const ARTICLE = 'content/beyond-utopia.md';
const TITLE = 'Documentary reveals perilous path for North Korean defectors';
const MM = 72 / 25.4;
/** Page size and the top and bottom margins of print.css, in points. */
const PAPERS = {
  a4: { width: 210 * MM, height: 297 * MM, top: 24 * MM, bottom: 26 * MM },
  letter: { width: 612, height: 792, top: 0.9 * 72, bottom: 72 },
  a5: { width: 148 * MM, height: 210 * MM, top: 16 * MM, bottom: 19 * MM },
} as const;
type PaperName = keyof typeof PAPERS;
const PAPER_NAMES = Object.keys(PAPERS) as PaperName[];

let dir: string;
const built = new Map<PaperName, PdfReadBack>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-paper-'));
  for (const paper of PAPER_NAMES) {
    const out = path.join(dir, paper);
    const run = await runCli('build', ARTICLE, '--out', out, '--format', 'pdf', '--paper', paper);
    expect(run.code, run.stderr).toBe(0);
    built.set(paper, await readPdf(path.join(out, 'beyond-utopia.pdf')));
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each(PAPER_NAMES)('the article on %s', (paper) => {
  const size = PAPERS[paper];
  const pdf = () => built.get(paper)!;

  it('has that paper size on every page', () => {
    expect(pdf().pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pdf().pageSizes) {
      expect(Math.abs(page.width - size.width)).toBeLessThan(1);
      expect(Math.abs(page.height - size.height)).toBeLessThan(1);
    }
  });

  it('opens page 1 with the title block and no running header', () => {
    const [first] = pdf().lines;
    expect(first!.every((line) => line.y < size.height - size.top)).toBe(true);
    expect(TITLE.startsWith(first![0]!.text.trim())).toBe(true);
    const text = flat(pdf().pages[0]!);
    expect(text.split(TITLE)).toHaveLength(2);
    expect(text).toContain('An award-winning documentary about defecting from North Korea exposes the grim reality');
    expect(text).toContain('DECEMBER 17, 2023');
    expect(text).not.toContain('\u0000');
  });

  it('sets the running header, the title, in the top margin of every later page', () => {
    for (const page of pdf().lines.slice(1)) {
      const inTopMargin = page.filter((line) => line.y > size.height - size.top);
      expect(inTopMargin.map((line) => line.text.trim())).toEqual([TITLE]);
    }
  });

  it('sets "N of M" in the bottom margin of every page', () => {
    const count = pdf().pages.length;
    pdf().lines.forEach((page, index) => {
      const inBottomMargin = page.filter((line) => line.y < size.bottom);
      expect(inBottomMargin.map((line) => line.text.trim())).toEqual([`${index + 1} of ${count}`]);
    });
  });

  it('sets the running text 60 to 75 characters a line', () => {
    const body = pdf().lines.flatMap((page) => page.filter((line) => line.y > size.bottom && line.y < size.height - size.top));
    const textRight = Math.max(...body.map((line) => line.right));
    // Justified lines end at the right edge of the text block; last lines of paragraphs and headings do not.
    const full = body
      .filter((line) => line.right > textRight - 1)
      .map((line) => [...line.text.trim()].length)
      .sort((a, b) => a - b);
    expect(full.length).toBeGreaterThan(20);
    const median = full[Math.floor(full.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(60);
    expect(median).toBeLessThanOrEqual(75);
  });

  it("embeds every font, all of them galley's own faces", () => {
    const { fonts } = pdf();
    expect(fonts.filter((font) => !font.embedded)).toEqual([]);
    const names = fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(expect.arrayContaining(['SourceSerif4-Regular', 'SourceSerif4-Italic', 'SourceSerif4-SemiBold']));
    expect(names.some((name) => name.startsWith('SourceSans3'))).toBe(true);
    expect(names.filter((name) => !/^(SourceSerif4|SourceSans3)/.test(name))).toEqual([]);
  });
});

describe('hyphenation', () => {
  it('breaks a word of the article at a line end on A5, with a hyphen, where the word has none', () => {
    const source = readFileSync(ARTICLE, 'utf8');
    const hyphenated: string[] = [];
    for (const page of built.get('a5')!.lines) {
      page.forEach((line, index) => {
        const head = /(\p{L}+)[-\u2010]$/u.exec(line.text)?.[1];
        const tail = /^\p{L}+/u.exec(page[index + 1]?.text ?? '')?.[0];
        if (!head || !tail) return;
        // A hyphen the source has ("post-pandemic") may end a line too; a hyphenated word is whole in the source.
        if (source.includes(`${head}-${tail}`)) return;
        expect(source).toMatch(new RegExp(`\\b${head}${tail}\\b`));
        // Never a word under 6 letters, nor one in capitals (an acronym).
        expect(`${head}${tail}`.length, `${head}-${tail}`).toBeGreaterThanOrEqual(6);
        expect(`${head}${tail}`, `${head}-${tail}`).not.toBe(`${head}${tail}`.toUpperCase());
        hyphenated.push(`${head}-${tail}`);
      });
    }
    expect(hyphenated.length).toBeGreaterThan(0);
  });
});

describe('choosing the paper', () => {
  it('takes front matter "paper", and --paper wins over it', async () => {
    const file = path.join(dir, 'letter.md');
    await writeFile(file, '---\ntitle: On letter\npaper: Letter\n---\nText.\n');
    await runCli('build', file, '--out', path.join(dir, 'fm'), '--format', 'pdf');
    await runCli('build', file, '--out', path.join(dir, 'flag'), '--format', 'pdf', '--paper', 'a5');
    const fromFrontMatter = await readPdf(path.join(dir, 'fm', 'letter.pdf'));
    const fromFlag = await readPdf(path.join(dir, 'flag', 'letter.pdf'));
    expect(fromFrontMatter.pageSizes[0]!.width).toBeCloseTo(PAPERS.letter.width, 0);
    expect(fromFlag.pageSizes[0]!.width).toBeCloseTo(PAPERS.a5.width, 0);
  });

  it('refuses an unknown paper, listing the accepted ones', async () => {
    const flag = await runCli('build', ARTICLE, '--out', path.join(dir, 'none'), '--paper', 'b5');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown paper "b5" (choose from a4, letter, a5)');

    const file = path.join(dir, 'b5.md');
    await writeFile(file, '---\ntitle: On B5\npaper: b5\n---\nText.\n');
    const frontMatter = await runCli('build', file, '--out', path.join(dir, 'none'));
    expect(frontMatter.code).toBe(1);
    expect(frontMatter.lines[0]).toBe(`${file}:3: front matter "paper" must be one of a4, letter, a5`);
  });
});
