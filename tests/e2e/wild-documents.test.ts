import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarkdown } from '../../src/document/markdown.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { epubcheck, packageOf, readEpub, type EpubReadBack } from '../helpers/epub.js';
import { readPdf, readStructure, type PdfReadBack } from '../helpers/pdf.js';
import { popplerPages, popplerWords } from '../helpers/poppler.js';

/** Documents like those galley met in the wild (tests/fixtures/wild): none has front matter that helps. */
const WILD = path.resolve('tests/fixtures/wild');
const DOCUMENTS = {
  korean: { source: path.join(WILD, 'korean-chapter/02-memory.md'), name: '02-memory', title: '메모리는 어떻게 관리되는가' },
  book: {
    source: path.join(WILD, 'book-chapter/ch08-01-vectors.md'),
    name: 'ch08-01-vectors',
    title: 'Storing Lists of Values with Vectors',
  },
  sample: { source: path.join(WILD, 'markdown-it-sample.md'), name: 'markdown-it-sample', title: 'h1 Heading 8-)' },
  plain: { source: path.join(WILD, 'plain-long.md'), name: 'plain-long', title: 'Plain long report' },
} as const;
type Name = keyof typeof DOCUMENTS;
const NAMES = Object.keys(DOCUMENTS) as Name[];

interface Built {
  pdf: PdfReadBack;
  poppler: string[];
  /** pdftotext -layout: lines in the order they stand on the page. */
  layout: string[];
  pdfBytes: Buffer;
  epub: EpubReadBack;
}

/** The last words of a Markdown file's last paragraph (before its notes), as plain text, to find in what was built. */
async function lastWords(source: string): Promise<string> {
  const tokens = createMarkdown().parse(await readFile(source, 'utf8'), {});
  const end = tokens.findIndex((token) => token.type === 'footnote_block_open');
  const body = end < 0 ? tokens : tokens.slice(0, end);
  const last = body.filter((token, index) => token.type === 'inline' && body[index - 1]?.type === 'paragraph_open').at(-1)!;
  return (last.children ?? [])
    .filter((child) => child.type === 'text')
    .map((child) => child.content)
    .join('')
    .split(/\s+/)
    .slice(-6)
    .join(' ');
}

/** epub-gen-memory writes characters outside ASCII as character references. */
function decodeCharacterReferences(xhtml: string): string {
  return xhtml.replace(/&#(x[0-9a-f]+|\d+);/gi, (_, code: string) =>
    String.fromCodePoint(code[0] === 'x' || code[0] === 'X' ? parseInt(code.slice(1), 16) : Number(code)),
  );
}

describe('documents nobody here wrote, built together', () => {
  let out: string;
  let alone: string;
  let run: CliRun;
  const built = new Map<Name, Built>();

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'galley-wild-'));
    alone = await mkdtemp(path.join(os.tmpdir(), 'galley-wild-alone-'));
    run = await runCli('build', ...NAMES.map((name) => DOCUMENTS[name].source), '--out', out, '--jobs', '2');
    for (const name of NAMES) {
      const file = path.join(out, `${DOCUMENTS[name].name}.pdf`);
      built.set(name, {
        pdf: await readPdf(file),
        poppler: await popplerPages(file),
        layout: await popplerPages(file, '-layout'),
        pdfBytes: await readFile(file),
        epub: await readEpub(path.join(out, `${DOCUMENTS[name].name}.epub`)),
      });
    }
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    await rm(alone, { recursive: true, force: true });
  });

  it('builds every one of them, saying what it guessed', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines).toContain(
      `${DOCUMENTS.korean.source}: warning: no lang: the text looks Korean (ko); set lang in the front matter to be sure`,
    );
    expect(run.lines).toContain(
      `${DOCUMENTS.book.source}:1: warning: no title and no # heading: the first heading, "Storing Lists of Values with Vectors", is taken as the title (set title in the front matter)`,
    );
    expect(run.lines.filter((line) => line.includes('mdBook directive'))).toHaveLength(5);
    expect(run.lines.filter((line) => line.startsWith(DOCUMENTS.sample.source) && !line.includes(': warning: '))).toEqual([]);
  });

  it.each(NAMES)('%s: has the running header from page 2 and "N of M" on every page, read back by poppler', (name) => {
    const { layout: poppler } = built.get(name)!;
    expect(poppler.length).toBeGreaterThanOrEqual(2);
    poppler.forEach((page, index) => {
      const lines = page
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      expect(lines.at(-1), `page ${index + 1}`).toBe(`${index + 1} of ${poppler.length}`);
      if (index > 0) expect(lines[0], `page ${index + 1}`).toBe(DOCUMENTS[name].title);
    });
  });

  it.each(NAMES)(
    '%s: keeps every word inside the text block, list numbers and code included, and ends with text before the colophon',
    async (name) => {
      const { pdf, layout } = built.get(name)!;
      // Chrome lays the page out in whole CSS pixels (A4 is 794 px wide, not 793.7): allow a point.
      const side = (36 * 72) / 25.4;
      (await popplerWords(path.join(out, `${DOCUMENTS[name].name}.pdf`))).forEach((page, index) => {
        for (const word of page) {
          expect(word.xMin, `page ${index + 1}: ${word.text}`).toBeGreaterThanOrEqual(side - 1);
          expect(word.xMax, `page ${index + 1}: ${word.text}`).toBeLessThanOrEqual(pdf.pageSizes[index]!.width - side + 1);
        }
      });
      const lastPage = layout
        .at(-1)!
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      const body = lastPage.slice(1, -1).filter((line) => !line.startsWith('Set by galley') && !line.includes('carries as an attachment'));
      expect(body.length, lastPage.join('\n')).toBeGreaterThan(0);
    },
  );

  it('gives a document the same bytes alone as in a batch', async () => {
    const single = await runCli('build', DOCUMENTS.plain.source, '--out', alone, '--format', 'pdf');
    expect(single.code, single.stderr).toBe(0);
    expect((await readFile(path.join(alone, 'plain-long.pdf'))).equals(built.get('plain')!.pdfBytes)).toBe(true);
  });

  it('uses the guessed language and the first heading as title in both editions', () => {
    expect(built.get('korean')!.pdf.language).toBe('ko');
    expect(packageOf(built.get('korean')!.epub).dc('language')).toEqual(['ko']);
    expect(built.get('book')!.pdf.info.Title).toBe(DOCUMENTS.book.title);
    expect(packageOf(built.get('book')!.epub).dc('title')).toEqual([DOCUMENTS.book.title]);
    // The sections of a chapter whose title is a ## heading are its ### headings: one e-book chapter each.
    expect(packageOf(built.get('book')!.epub).spine.filter((href) => href.startsWith('section-')).length).toBeGreaterThan(5);
  });

  it.each(NAMES)('%s: keeps its last paragraph in both editions', async (name) => {
    const words = await lastWords(DOCUMENTS[name].source);
    const { poppler, epub } = built.get(name)!;
    const squeeze = (text: string) => text.replace(/[^\p{L}\p{N}]+/gu, '');
    expect(squeeze(poppler.join(''))).toContain(squeeze(words));
    const chapters = [...epub.text]
      .filter(([entry]) => entry.endsWith('.xhtml'))
      .map(([, text]) => decodeCharacterReferences(text.replace(/<[^>]+>/g, '')));
    expect(squeeze(chapters.join(''))).toContain(squeeze(words));
  });

  it.each(NAMES)('%s: writes no file: URL and no build path into either edition', (name) => {
    const { pdf, pdfBytes, epub } = built.get(name)!;
    const links = pdf.links.flat();
    expect(links.filter((link) => link.url !== undefined && !/^(https?|mailto):/.test(link.url))).toEqual([]);
    const buildPaths = [out, WILD, 'galley-page-', 'galley-run-'];
    const raw = pdfBytes.toString('latin1');
    expect(raw).not.toContain('file:');
    for (const buildPath of buildPaths) expect(raw).not.toContain(buildPath);
    for (const [entry, text] of epub.text) {
      expect(text, entry).not.toMatch(/\s(href|src)="file:/);
      for (const buildPath of buildPaths) expect(text, entry).not.toContain(buildPath);
      for (const [, href] of text.matchAll(/\shref="([^"#][^"]*)"/g)) {
        if (!/^(https?|mailto):/.test(href!))
          expect(epub.entries, `${entry} links to ${href}`).toContain(path.posix.join('OEBPS', href!.split('#')[0]!));
      }
    }
  });

  it.each(NAMES)('%s: passes epubcheck with no errors or warnings', async (name) => {
    const verdict = await epubcheck(path.join(out, `${DOCUMENTS[name].name}.epub`));
    expect(verdict, verdict.output).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
  });

  it('packs SVGs without DOCTYPE, scripts or outside references, in figures with captions', () => {
    const { epub } = built.get('korean')!;
    const svgs = [...epub.bytes].filter(([entry]) => entry.endsWith('.svg')).map(([, bytes]) => Buffer.from(bytes).toString('utf8'));
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) {
      expect(svg).not.toMatch(/<!DOCTYPE|<!ENTITY|<script|xlink:href="http/i);
      expect(svg).toMatch(/^(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<svg/);
    }
    const chapters = [...epub.text]
      .filter(([entry]) => /section-\d+\.xhtml$/.test(entry))
      .map(([, text]) => text)
      .join('');
    expect(chapters.match(/<figure>\s*<img [^>]*\/>\s*<figcaption>/g)?.length).toBe(3);
  });

  it('gives each figure of the PDF one Figure element with its alt text, and no Figure without', async () => {
    const figures = (await readStructure(path.join(out, '02-memory.pdf'))).filter((element) => element.type === 'Figure');
    expect(figures.length).toBeGreaterThanOrEqual(4);
    expect(figures.filter((figure) => !figure.alt)).toEqual([]);
  });
});
