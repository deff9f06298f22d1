import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Builder } from '../../src/build.js';
import { lineReporter } from '../../src/report/lines.js';
import { runCli } from '../helpers/cli.js';
import { defaultOptions } from '../helpers/build.js';
import { readEpub, type EpubReadBack } from '../helpers/epub.js';
import { popplerPages } from '../helpers/poppler.js';
import { epubcheck, verapdf } from '../helpers/validators.js';

const run = promisify(execFile);
const FIXTURES = path.resolve('tests/fixtures/books');

/** The parts and chapters each test book's plan lists, in order. */
const STREAM_WATCH = [
  'Preface',
  'Part I: Getting to the water',
  'Why small streams matter',
  'Choosing a site',
  'Access and permission',
  'Safety on the bank',
  'Equipment',
  'Part II: Measuring',
  'Flow',
  'The float method',
  'Temperature and oxygen',
  'Keeping readings in code',
  'Part III: Making sense of it',
  'Cleaning the data',
  'Sharing what you found',
  'Glossary',
];
const COURSE_READER = [
  'How to use this reader',
  'Week 1: Water',
  'The water cycle, close to home',
  'What is a watershed?',
  'Week 2: Life',
  'Insects as witnesses',
  "La truite et la qualité de l'eau",
  'Further reading',
];

interface BuiltBook {
  pdf: string;
  epub: string;
  /** Each page's text, as pdftotext gives it. */
  pages: string[];
  /** The contents: each entry's title and the page number printed beside it. */
  contents: { title: string; page: number }[];
  /** The last page of the contents. */
  contentsEnd: number;
}

/** The contents page(s) of a book, read from the PDF as a reader sees them: "Title ...... 12". */
async function readBook(out: string, name: string): Promise<BuiltBook> {
  const pdf = path.join(out, `${name}.pdf`);
  const pages = await popplerPages(pdf);
  const layout = await popplerPages(pdf, '-layout');
  const contents: { title: string; page: number }[] = [];
  let contentsEnd = 1;
  for (const text of layout.slice(1)) {
    const entries = text.split('\n').flatMap((line) => {
      const match = /^\s*(\S.*?)\s{2,}(\d+)\s*$/.exec(line);
      return match ? [{ title: match[1]!, page: Number(match[2]) }] : [];
    });
    if (entries.length === 0) break;
    contents.push(...entries);
    contentsEnd += 1;
  }
  return { pdf, epub: path.join(out, `${name}.epub`), pages, contents, contentsEnd };
}

/** The lines of a page, without empty ones. */
const linesOf = (page: string): string[] =>
  page
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

describe('books: a folder of chapters, one edition', () => {
  let dir: string;
  let out: string;
  let firstRun: string[];
  let streamWatch: BuiltBook;
  let courseReader: BuiltBook;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-books-'));
    out = path.join(dir, 'out');
    await cp(FIXTURES, path.join(dir, 'books'), { recursive: true });
    const result = await runCli('build', path.join(dir, 'books'), '--out', out, '--jobs', '2');
    firstRun = result.lines;
    expect(result.code, result.lines.join('\n')).toBe(0);
    streamWatch = await readBook(out, 'stream-watch');
    courseReader = await readBook(out, 'course-reader');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds each book folder into one PDF and one EPUB named after it, with a warning for each thing it left out', () => {
    const books = path.join(dir, 'books');
    expect(firstRun.filter((line) => line.startsWith('built ')).sort()).toEqual([
      expect.stringMatching(
        new RegExp(`^built ${books}/course-reader: ${out}/course-reader.pdf \\(\\d+ pages\\), ${out}/course-reader.epub`),
      ),
      expect.stringMatching(new RegExp(`^built ${books}/stream-watch: ${out}/stream-watch.pdf \\(\\d+ pages\\), ${out}/stream-watch.epub`)),
    ]);
    const book = path.join(books, 'stream-watch', 'src');
    expect(firstRun.filter((line) => line.includes(': warning: ')).sort()).toEqual([
      `${book}/SUMMARY.md:26: warning: "Seasonal trends" is a draft chapter (it has no file): it is left out`,
      `${book}/part1/why-streams.md:22: warning: image "src/images/hydrograph.svg": removed the DOCTYPE`,
      `${book}/part2/recording.md:35: warning: the mdBook directive {{#playground}} is left as written: galley expands only {{#include}} and {{#rustdoc_include}}`,
      `${book}/part3/sharing.md:13: warning: link to "trends.html" is kept as text: that file is not part of this edition (--link-base URL or front matter link_base makes it a web link)`,
    ]);
  });

  it.each([
    ['stream-watch', STREAM_WATCH],
    ['course-reader', COURSE_READER],
  ])('%s: the contents list every part and chapter with the page its heading is printed on', (name, titles) => {
    const book = name === 'stream-watch' ? streamWatch : courseReader;
    expect(book.contents.map((entry) => entry.title)).toEqual(titles);
    for (const { title, page } of book.contents) {
      // The heading is the first line of its page's text, after the running head if the page has one.
      expect(linesOf(book.pages[page - 1]!).slice(0, 2), `page ${page}`).toContain(title);
      for (const earlier of book.pages.slice(book.contentsEnd, page - 1)) expect(linesOf(earlier)).not.toContain(title);
    }
  });

  it('starts each part and chapter on a new page, on a right-hand (odd) page with chapter_start: right, blank pages left empty', () => {
    const starts = courseReader.contents.map((entry) => entry.page);
    expect(starts.every((page) => page % 2 === 1)).toBe(true);
    const blanks = courseReader.pages.flatMap((text, index) => (linesOf(text).length === 0 ? [index + 1] : []));
    expect(blanks.length).toBeGreaterThan(0);
    for (const blank of blanks) expect(starts).toContain(blank + 1);
    // Without it, chapters follow on the next page, left or right.
    expect(streamWatch.contents.some((entry) => entry.page % 2 === 0)).toBe(true);
  });

  it("runs the book's title on left-hand pages, the chapter's title on right-hand ones (none on a part's page), and the page number in the footer", () => {
    const starts = new Map(streamWatch.contents.map((entry) => [entry.page, entry.title]));
    const parts = new Set(streamWatch.contents.filter((entry) => entry.title.startsWith('Part ')).map((entry) => entry.page));
    let chapter = '';
    let checked = 0;
    streamWatch.pages.forEach((text, index) => {
      const page = index + 1;
      chapter = starts.get(page) ?? chapter;
      const lines = linesOf(text);
      if (page > 1) expect(lines.at(-1), `footer of page ${page}`).toBe(String(page));
      if (page <= streamWatch.contentsEnd || page === streamWatch.pages.length) return;
      const head = parts.has(page) ? chapter : page % 2 === 0 ? 'Stream Watch' : chapter;
      expect(lines[0], `running head of page ${page}`).toBe(head);
      checked += 1;
    });
    expect(checked).toBe(streamWatch.pages.length - streamWatch.contentsEnd - 1);
    // A chapter that runs on past its first right-hand page is named again on the next one.
    expect(linesOf(streamWatch.pages[14]!)[0]).toBe('Keeping readings in code');
  });

  it('nests the bookmarks by part, chapter and section', async () => {
    const pdf = await getDocument({ data: new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(streamWatch.pdf))) }).promise;
    interface Item {
      title: string;
      items: Item[];
    }
    const outline = ((await pdf.getOutline()) ?? []) as Item[];
    const titles = (items: Item[]) => items.map((item) => item.title);
    expect(titles(outline)).toEqual([
      'Stream Watch',
      'Contents',
      'Preface',
      'Part I: Getting to the water',
      'Part II: Measuring',
      'Part III: Making sense of it',
      'Glossary',
    ]);
    const partOne = outline.find((item) => item.title.startsWith('Part I:'))!;
    expect(titles(partOne.items)).toEqual(['Why small streams matter', 'Choosing a site', 'Equipment']);
    const site = partOne.items.find((item) => item.title === 'Choosing a site')!;
    expect(titles(site.items)).toEqual(['Straight runs and riffles', 'Naming the site', 'Access and permission', 'Safety on the bank']);
    await pdf.destroy();
  });

  it('carries every file the book was made from as an attachment, and meets PDF/A-3a and PDF/UA-1', async () => {
    const { stdout } = await run('pdfdetach', ['-list', streamWatch.pdf]);
    const attached = stdout
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^\d+: /, '').trim())
      .filter(Boolean);
    expect(attached).toEqual(
      expect.arrayContaining([
        'book.toml',
        'src/SUMMARY.md',
        'src/preface.md',
        'src/part2/recording.md',
        'listings/reading.rs',
        'listings/field-sheet.csv',
      ]),
    );
    for (const flavour of ['3a', 'ua1']) {
      const verdict = await verapdf(streamWatch.pdf, flavour);
      expect(verdict.failed, flavour).toEqual({});
    }
  });

  describe('the EPUB', () => {
    let epubs: Record<string, EpubReadBack>;
    beforeAll(async () => {
      epubs = { 'stream-watch': await readEpub(streamWatch.epub), 'course-reader': await readEpub(courseReader.epub) };
    });

    it.each(['stream-watch', 'course-reader'])('%s passes EPUBCheck with no error or warning', async (name) => {
      const verdict = await epubcheck(path.join(out, `${name}.epub`));
      expect(verdict.output).toBe('');
      expect([verdict.fatals, verdict.errors, verdict.warnings]).toEqual([0, 0, 0]);
    });

    it('nests parts, chapters and nested chapters in the navigation document', () => {
      const nav = epubs['stream-watch']!.text.get('OEBPS/nav.xhtml')!;
      const toc = nav.slice(nav.indexOf('epub:type="toc"'), nav.indexOf('</nav>'));
      const depthOf = (title: string) => {
        const at = toc.indexOf(`>${title}</a>`);
        expect(at, title).toBeGreaterThan(0);
        const before = toc.slice(0, at);
        return (before.match(/<ol>/g) ?? []).length - (before.match(/<\/ol>/g) ?? []).length;
      };
      expect([
        depthOf('Preface'),
        depthOf('Part II: Measuring'),
        depthOf('Flow'),
        depthOf('The float method'),
        depthOf('Glossary'),
      ]).toEqual([1, 1, 2, 3, 1]);
    });

    it.each(['stream-watch', 'course-reader'])('%s: every link between chapters leads to a file of the book and an id in it', (name) => {
      const epub = epubs[name]!;
      const ids = new Map(
        [...epub.text].map(([entry, text]) => [
          path.posix.basename(entry),
          new Set([...text.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!)),
        ]),
      );
      let links = 0;
      for (const [entry, text] of epub.text) {
        if (!/section-\d+\.xhtml$/.test(entry)) continue;
        for (const [, href] of text
          .matchAll(/<a [^>]*href="([^"#:]+\.xhtml)#([^"]+)"/g)
          .map((match) => [match[0], `${match[1]}#${match[2]}`])) {
          const [file, id] = href!.split('#');
          expect(ids.get(file!)?.has(decodeURIComponent(id!)), `${entry}: ${href}`).toBe(true);
          links += 1;
        }
        expect(text).not.toMatch(/href="[^"]*\.(md|html)(#[^"]*)?"/);
      }
      expect(links).toBeGreaterThan(4);
    });

    it('holds the included code, without anchors or directives, and each image once however many chapters show it', () => {
      const markup = [...epubs['stream-watch']!.text.values()].join('\n');
      // The code is highlighted: its words are read without the markup around them.
      const text = markup.replace(/<[^>]+>/g, '');
      expect(text).toContain('pub struct Reading {');
      expect(text).toContain('MILL-01,2024-04-06T08:10,7.9,11.2,0.42');
      expect(markup).not.toContain('ANCHOR');
      expect(markup).not.toContain('{{#include ../');
      const reader = epubs['course-reader']!;
      expect(reader.entries.filter((entry) => entry.startsWith('OEBPS/images/image-'))).toEqual(['OEBPS/images/image-1.svg']);
    });

    it("sets a chapter's own language on its pages", () => {
      const reader = epubs['course-reader']!;
      const french = [...reader.text].filter(([, text]) => text.includes('La truite fario'));
      expect(french).toHaveLength(1);
      expect(french[0]![1]).toContain('lang="fr" xml:lang="fr"');
      expect(reader.text.get('OEBPS/section-01.xhtml')).toContain('lang="en" xml:lang="en"');
    });
  });

  it('rebuilds an unchanged book in well under a second without a browser, and a changed chapter rebuilds its book', async () => {
    const books = path.join(dir, 'books');
    const files = [path.join(books, 'course-reader'), path.join(books, 'stream-watch')];
    const options = defaultOptions({ paths: [books], outDir: out });
    const builder = (await Builder.create(options, []))!;
    try {
      const lines: string[] = [];
      const began = Date.now();
      const unchanged = await builder.run(
        files,
        lineReporter((line) => lines.push(line)),
      );
      expect(unchanged).toMatchObject({ built: 0, unchanged: 2, failed: 0 });
      expect(Date.now() - began).toBeLessThan(1000);
      expect(builder.browserLaunches).toBe(0);
      await writeFile(path.join(books, 'course-reader', 'references.md'), '# Further reading\n\nOne more book.\n');
      const changed = await builder.run(
        files,
        lineReporter((line) => lines.push(line)),
      );
      expect(changed).toMatchObject({ built: 1, unchanged: 1, failed: 0 });
    } finally {
      await builder.close();
    }
  });

  it('a long book, whose first printing is done in runs of chapters at once, still gets every page number right', async () => {
    const book = path.join(dir, 'long');
    const sentence = 'Each chapter of this generated book is long enough that the book is printed in runs. ';
    const chapters = Array.from({ length: 14 }, (_, index) => `chapter-${String(index + 1).padStart(2, '0')}.md`);
    await mkdir(book, { recursive: true });
    await writeFile(
      path.join(book, 'book.yaml'),
      `title: A long book\nlang: en\nchapters:\n${chapters.map((file) => `  - ${file}\n`).join('')}`,
    );
    for (const [index, file] of chapters.entries()) {
      const paragraphs = Array.from({ length: 4 + (index % 5) * 3 }, () => sentence.repeat(8).trim());
      await writeFile(path.join(book, file), `# Chapter ${index + 1}\n\n${paragraphs.join('\n\n')}\n`);
    }
    const longOut = path.join(dir, 'long-out');
    const result = await runCli('build', book, '--out', longOut, '--format', 'pdf');
    expect(result.code, result.lines.join('\n')).toBe(0);
    const built = await readBook(longOut, 'long');
    expect(built.contents.map((entry) => entry.title)).toEqual(chapters.map((_, index) => `Chapter ${index + 1}`));
    for (const { title, page } of built.contents) expect(linesOf(built.pages[page - 1]!).slice(0, 2), `page ${page}`).toContain(title);
    expect(built.pages.length).toBeGreaterThan(40);
  });

  it('a chapter that fails fails its book, which writes nothing', async () => {
    const book = path.join(dir, 'broken');
    await cp(path.join(FIXTURES, 'course-reader'), book, { recursive: true });
    await writeFile(path.join(book, 'week2', 'insects.md'), '# Insects\n\n![A net](../images/net.png)\n');
    const brokenOut = path.join(dir, 'broken-out');
    const result = await runCli('build', book, '--out', brokenOut);
    expect(result.code).toBe(1);
    expect(result.lines[0]).toBe(`${book}/week2/insects.md:3: image "images/net.png" not found`);
    expect(await readdir(brokenOut).catch(() => [])).toEqual([]);
  });
});
