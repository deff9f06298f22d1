import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { asArray, epubcheck, readEpub, type EpubReadBack } from '../helpers/epub.js';
import { createMarkdown } from '../../src/document/markdown.js';
import { flat, readPdf, type PdfReadBack } from '../helpers/pdf.js';
import { longWords, popplerPages } from '../helpers/poppler.js';

const TITLE = 'Documentary reveals perilous path for North Korean defectors';
const SECTIONS = ['China sends defectors back', 'United Nations resolution', 'Kim Jong Un sheds tears'];

describe('galley build content/ (the article, end to end)', () => {
  let out: string;
  let run: CliRun;
  let pdf: PdfReadBack;
  let epub: EpubReadBack;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'galley-article-'));
    run = await runCli('build', 'content', '--out', out);
    pdf = await readPdf(path.join(out, 'beyond-utopia.pdf'));
    epub = await readEpub(path.join(out, 'beyond-utopia.epub'));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('exits 0 and reports one line with the page and chapter counts for the article, and one for the example book', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    // The two are built at the same time: either may finish first.
    expect(run.lines.slice(0, 2).sort()).toEqual([
      `built content/beyond-utopia.md: ${path.join(out, 'beyond-utopia.pdf')} (${pdf.pages.length} pages), ${path.join(out, 'beyond-utopia.epub')} (4 chapters)`,
      expect.stringMatching(
        new RegExp(
          `^built content/handbook: ${path.join(out, 'handbook.pdf')} \\(\\d+ pages\\), ${path.join(out, 'handbook.epub')} \\(\\d+ chapters\\)$`,
        ),
      ),
    ]);
    expect(run.lines.slice(2)).toEqual([expect.stringMatching(/^2 built, 0 failed in [\d.]+ s$/)]);
  });

  it('prints the lead and then the three sections, in order, with typographer quotes', () => {
    const text = flat(pdf.pages.join(' '));
    const lead = text.indexOf('An award-winning documentary about defecting from North Korea');
    const positions = SECTIONS.map((title) => text.indexOf(title, lead));
    expect(lead).toBeGreaterThan(text.indexOf(TITLE));
    expect(positions.every((position) => position > lead)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('\u201cBeyond Utopia\u201d follows the harrowing journey');
    expect(text).not.toMatch(/top of page|bottom of page/);
  });

  it('is A4 with a running header from page 2 and an "N of M" footer on every page', () => {
    expect(pdf.pages.length).toBeGreaterThanOrEqual(2);
    for (const size of pdf.pageSizes) {
      expect(size.width).toBeCloseTo(595, 0);
      expect(size.height).toBeCloseTo(842, 0);
    }
    const count = pdf.pages.length;
    pdf.pages.forEach((page, index) => expect(flat(page)).toContain(`${index + 1} of ${count}`));
    expect(flat(pdf.pages[0]!).split(TITLE)).toHaveLength(2); // the title block only, no header
    expect(flat(pdf.pages[1]!).startsWith(TITLE)).toBe(true);
  });

  it('carries title, subject, language, creator and dates in the PDF, tagged, with bookmarks', () => {
    expect(pdf.info.Title).toBe(TITLE);
    expect(pdf.info.Subject).toMatch(/^An award-winning documentary/);
    expect(pdf.info.Creator).toMatch(/^galley \d+\.\d+\.\d+/);
    expect(pdf.info.CreationDate).toMatch(/^D:20231217/);
    expect(pdf.language).toBe('en');
    expect(pdf.tagged).toBe(true);
    expect(pdf.outline).toEqual(expect.arrayContaining(SECTIONS));
  });

  it('opens the EPUB with the cover and the title page, then one chapter per section, in reading order, titled by its heading', () => {
    const opf = epub.xml.get('OEBPS/content.opf') as any;
    const manifest = new Map(asArray(opf.package.manifest.item).map((item: any) => [item['@id'], item['@href']]));
    const spine = asArray(opf.package.spine.itemref).map((ref: any) => manifest.get(ref['@idref']));
    expect(spine).toEqual([
      'cover.xhtml',
      'title-page.xhtml',
      'section-01.xhtml',
      'section-02.xhtml',
      'section-03.xhtml',
      'section-04.xhtml',
    ]);

    const chapterHeadings = spine.slice(3).map((href) => /<h2[^>]*>([^<]*)<\/h2>/.exec(epub.text.get(`OEBPS/${href}`)!)?.[1]);
    expect(chapterHeadings).toEqual(SECTIONS);
    expect(epub.text.get('OEBPS/section-01.xhtml')).toContain('An award-winning documentary');

    const nav = epub.text.get('OEBPS/nav.xhtml')!;
    const navTitles = [...nav.matchAll(/<a href="[^"]+">([^<]*)<\/a>/g)].map((match) => match[1]);
    expect(navTitles).toEqual([TITLE, ...SECTIONS]);
    const ncx = epub.xml.get('OEBPS/toc.ncx') as any;
    expect(asArray(ncx.ncx.navMap.navPoint).map((point: any) => point.navLabel.text)).toEqual([TITLE, ...SECTIONS]);
  });

  it('writes the EPUB metadata: title, language, date, description, stable identifier', () => {
    const metadata = (epub.xml.get('OEBPS/content.opf') as any).package.metadata;
    expect(metadata['dc:title']['#text']).toBe(TITLE);
    expect(metadata['dc:language']).toBe('en');
    expect(metadata['dc:date']).toBe('2023-12-17');
    expect(metadata['dc:description']).toMatch(/^An award-winning documentary/);
    expect(metadata['dc:identifier']['#text']).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(asArray(metadata.meta).find((meta: any) => meta['@property'] === 'dcterms:modified')['#text']).toBe('2023-12-17T00:00:00Z');
  });

  it("lets every word of 7 letters or more be found as written, in poppler's text and in pdf.js's", async () => {
    const tokens = createMarkdown().parse(readFileSync('content/beyond-utopia.md', 'utf8').replace(/^---[\s\S]*?\n---\n/, ''), {});
    const written = tokens
      .flatMap((token) => (token.children ?? []).filter((child) => child.type === 'text').map((child) => child.content))
      .join(' ');
    const words = longWords(written, 7);
    expect(words.length).toBeGreaterThan(100);
    const poppler = (await popplerPages(path.join(out, 'beyond-utopia.pdf'))).join('\n').replace(/\s+/g, ' ');
    // pdf.js's own search joins a word that a line-end hyphen breaks; so does pdftotext.
    const pdfjs = pdf.pages
      .join('\n')
      .replace(/(\p{L})-\n(\p{L})/gu, '$1$2')
      .replace(/\s+/g, ' ');
    expect(poppler).not.toContain('\u00AD');
    expect(words.filter((word) => !poppler.includes(word))).toEqual([]);
    expect(words.filter((word) => !pdfjs.includes(word))).toEqual([]);
  });

  it('passes epubcheck with 0 errors and 0 warnings', async () => {
    const verdict = await epubcheck(path.join(out, 'beyond-utopia.epub'));
    expect(verdict, verdict.output).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
  });

  // The article as received sits beside the checkout (../shared) in CI and on the developers' machines.
  const received = '../shared/source-article.txt';
  it.skipIf(!existsSync(received))('keeps the words of the article as received', () => {
    const source = readFileSync(received, 'utf8');
    const text = flat(pdf.pages.join(' '))
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/\u2019/g, "'");
    const paragraphs = source
      .split(/\n+/)
      .map((line) => line.trim())
      .filter((line) => line && !/^(top|bottom) of page$/.test(line));
    for (const paragraph of paragraphs.slice(2)) {
      const words = paragraph.split(/\s+/).slice(0, 6).join(' ');
      expect(text).toContain(words);
    }
  });
});
