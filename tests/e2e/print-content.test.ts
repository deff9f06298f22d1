import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GALLEY_VERSION } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';
import { flat, readPdf, type PdfReadBack } from '../helpers/pdf.js';

const FIXTURE = 'tests/fixtures/print/features.md';
const TITLE = 'Field notes on the border crossing';
const A4_SIDE_MARGIN = (36 * 72) / 25.4;

describe('the print edition of an article with every kind of content (A4)', () => {
  let dir: string;
  let pdf: PdfReadBack;
  let text: string;
  /** The text with every space and line break taken out, for addresses broken across lines. */
  let squeezed: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-content-'));
    const run = await runCli('build', FIXTURE, '--out', dir, '--format', 'pdf');
    expect(run.code, run.stderr).toBe(0);
    pdf = await readPdf(path.join(dir, 'features.pdf'));
    text = flat(pdf.pages.join('\n'));
    squeezed = text.replace(/\s+/g, '');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('sets the title block: title, standfirst from the subtitle, byline, dateline and edition', () => {
    const firstPage = flat(pdf.pages[0]!);
    expect(firstPage).toContain(`${TITLE} What the documentary leaves out, in figures, tables and notes`);
    expect(firstPage).not.toContain("A test article for galley's print edition");
    expect(firstPage).toContain('BY MIN-JUN PARK, SARAH OKAFOR · 5 MARCH 2024 · EDITION 2');
  });

  it('fills in the document information and the language, tagged, with a bookmark per heading', () => {
    expect(pdf.info).toMatchObject({
      Title: TITLE,
      Author: 'Min-jun Park, Sarah Okafor',
      Subject: "A test article for galley's print edition, with every kind of content.",
      Keywords: 'North Korea, refugees, human rights',
      Creator: `galley ${GALLEY_VERSION}`,
      CreationDate: 'D:20240305000000Z',
      ModDate: 'D:20240305000000Z',
    });
    expect(pdf.language).toBe('en-GB');
    expect(pdf.tagged).toBe(true);
    expect(pdf.outline).toEqual([TITLE, 'A long table', 'What the numbers do not say']);
  });

  it('embeds every font, with a real italic, bold and bold italic', () => {
    expect(pdf.fonts.filter((font) => !font.embedded)).toEqual([]);
    const names = pdf.fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toEqual(
      expect.arrayContaining(['SourceSerif4-Regular', 'SourceSerif4-Italic', 'SourceSerif4-Bold', 'SourceSerif4-BoldItalic']),
    );
  });

  it('captions each figure with its title, else its alt text, and scales the image to the text block', () => {
    expect(text).toContain('The route, from Hyesan to the Mekong');
    expect(text).not.toContain('A route across the border, drawn as a curve');
    expect(text).toContain('Monthly crossings, 2019 to 2022');
    const [image] = pdf.images.flat();
    const textWidth = pdf.pageSizes[0]!.width - 2 * A4_SIDE_MARGIN;
    expect(image!.x).toBeCloseTo(A4_SIDE_MARGIN, 0);
    // Chrome lays the page out in whole CSS pixels (A4 is 794 px wide, not 793.7): allow a point.
    expect(Math.abs(image!.width - textWidth)).toBeLessThan(1);
    expect(image!.height / image!.width).toBeCloseTo(420 / 900, 2);
  });

  it('prints the address of each external link after its text, and links it', () => {
    expect(squeezed).toContain(
      'UnitedNationsHighCommissionerforRefugees(www.unhcr.org/what-we-do/protect-human-rights/asylum-and-migration/refugees-and-migrants-frequently-asked-questions)',
    );
    expect(squeezed).toContain('byemail(desk@example.org);');
    expect(squeezed).toContain('readathttps://www.unhcr.org/refworld/country-reports/democratic-peoples-republic-of-korea.Corrections');
    expect(squeezed).toContain('inthelongtable.');
    const urls = pdf.links[0]!.map((link) => link.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        'https://www.unhcr.org/refworld/country-reports/democratic-peoples-republic-of-korea',
        'mailto:desk@example.org',
      ]),
    );
  });

  it('collects the notes at the end, each linked to its mark and back', () => {
    const notesPage = pdf.pages.length - 1;
    expect(text.indexOf('The Tumen is shallow enough')).toBeGreaterThan(text.indexOf('for some, disappearance.'));
    expect(flat(pdf.pages[0]!)).toContain('begin at the river.1 This one');
    expect(pdf.links[0]!.some((link) => link.targetPage === notesPage)).toBe(true);
    expect(pdf.links[notesPage]!.some((link) => link.targetPage === 0)).toBe(true);
  });

  it('sets quotes, lists and code, wrapping long code lines inside the text block', () => {
    expect(text).toContain('What struck me was not the danger but the waiting');
    expect(text).toContain('1. the crossing of the Tumen or the Yalu, usually at night;');
    expect(text).toContain('a photograph;');
    expect(text).toContain('deposit 12000 CNY balance due on arrival in Shenyang (contact: the cousin, not the uncle)');
    expect(text).toContain('broker\u2019s receipts');
    expect(text).not.toContain('\u0000');
    for (const [index, page] of pdf.lines.entries()) {
      for (const line of page)
        expect(line.right, `page ${index + 1}: ${line.text}`).toBeLessThanOrEqual(pdf.pageSizes[index]!.width - A4_SIDE_MARGIN + 1);
    }
  });

  it('is the same file, byte for byte, when built again beside another document', async () => {
    const out = path.join(dir, 'again');
    expect((await runCli('build', 'tests/fixtures/print/korean.md', FIXTURE, '--out', out, '--format', 'pdf')).code).toBe(0);
    const first = await readFile(path.join(dir, 'features.pdf'));
    expect((await readFile(path.join(out, 'features.pdf'))).equals(first)).toBe(true);
  });

  it('takes the dates from SOURCE_DATE_EPOCH when it is set', async () => {
    const previous = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const out = path.join(dir, 'epoch');
      expect((await runCli('build', FIXTURE, '--out', out, '--format', 'pdf')).code).toBe(0);
      const info = (await readPdf(path.join(out, 'features.pdf'))).info;
      expect(info.CreationDate).toBe('D:20231114221320Z');
      expect(info.ModDate).toBe('D:20231114221320Z');
    } finally {
      if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = previous;
    }
  });
});
