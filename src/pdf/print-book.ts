import os from 'node:os';
import { PDFDocument } from 'pdf-lib';
import type { BookLayout, BookUnit, DocumentModel, Notice } from '../document/model.js';
import { renderPrintUnits } from '../document/render.js';
import { GalleyError } from '../errors.js';
import type { PageSource } from '../browser/session.js';
import type { TemplateSet } from '../render/templates.js';
import { destinationPagesOf } from './destinations.js';
import { finishPdf } from './finish.js';
import { hyphenateHtml } from './hyphenate.js';
import { headingTexts } from './outline.js';
import { createPrintMarkdown } from './print-markup.js';
import { printContext, printInChrome, renderedFormulas, type PrintedPdf, type PrintSettings } from './print.js';
import { OBJECTS_PER_TICK } from './ticks.js';

const printMarkdown = createPrintMarkdown();

/** A contents entry: a part or a chapter, the chapters nested under it, and the page it starts on. */
interface ContentsEntry {
  kind: BookUnit['kind'];
  id: string;
  title: string;
  page: string;
  children: ContentsEntry[];
}

/** Where each part and chapter starts, and before which a blank page puts it on a right-hand page. */
interface PageLayout {
  pages: Map<string, number>;
  blankBefore: Set<number>;
}

/**
 * Prints a book twice: first to read, from the PDF's own destinations, the page each part and
 * chapter starts on (see firstPrinting); then with those numbers in the contents (and, for `chapter_start: right`, a
 * blank page before each that would start on a left-hand page). The numbers sit in boxes of a fixed
 * width, so filling them in moves nothing; the second printing is checked against them all the same.
 */
export async function printBook(
  session: PageSource,
  doc: DocumentModel,
  templates: TemplateSet,
  settings: PrintSettings,
): Promise<PrintedPdf> {
  const book = doc.book!;
  const bodies = renderPrintUnits(doc, book.units, printMarkdown).map((html, index) =>
    hyphenateHtml(html, book.units[index]!.lang ?? doc.metadata.lang),
  );
  const context = printContext(doc, templates, settings);
  const render = (layout: PageLayout | undefined, range: UnitRange = { from: 0, to: book.units.length }) =>
    templates.render.printBook({
      ...context,
      colophon: { ...context.colophon, source: `the files of ${doc.name}` },
      frontMatter: range.from === 0,
      backMatter: range.to === book.units.length,
      toc: contentsTree(book.units, layout?.pages),
      units: book.units.slice(range.from, range.to).map((unit, offset) => {
        const index = range.from + offset;
        return {
          kind: unit.kind,
          id: unit.headingId,
          pageName: `unit-${index + 1}`,
          runningHead: unit.kind === 'chapter' ? unit.title : undefined,
          lang: unit.lang,
          blankBefore: layout?.blankBefore.has(index) ?? false,
          html: bodies[index],
        };
      }),
    });
  const { printed, refused } = await firstPrinting(bodies, render, (html) =>
    printInChrome(session, doc, templates, html, { final: false }),
  );
  const layout = pageLayout(book, printed);
  const html = render(layout);
  const final = await printInChrome(session, doc, templates, html, { final: true });
  const { bytes, pages } = await finishPdf(final.pdf, doc, {
    inspect: (pdf) => checkContentsPages(book, layout, destinationPagesOf(pdf)),
    version: settings.version,
    headings: headingTexts(html),
    formulas: renderedFormulas(doc),
    standard: settings.standard ?? 'pdfa-3a',
  });
  return { bytes, pages, warnings: [...refused, ...final.refused] };
}

/** A run of parts and chapters, `to` not included. */
interface UnitRange {
  from: number;
  to: number;
}

/** A book's print page is cut into about this much HTML for each first printing done at the same time. */
const BYTES_PER_FIRST_PRINTING = 64 * 1024;

/**
 * The first printing, read only for where each part and chapter starts. Each starts on a page of
 * its own, so a long book is printed in runs of chapters at the same time (one tab, and one CPU,
 * each): a run's pages follow the runs before it. Only the first run has the title page and the
 * contents, whose length does not change when their numbers are filled in.
 */
async function firstPrinting(
  bodies: string[],
  render: (layout: undefined, range: UnitRange) => string,
  print: (html: string) => Promise<{ pdf: Uint8Array; refused: Notice[] }>,
): Promise<{ printed: Map<string, number>; refused: Notice[] }> {
  const total = bodies.reduce((sum, html) => sum + html.length, 0);
  const runs = Math.max(1, Math.min(os.availableParallelism(), bodies.length, Math.ceil(total / BYTES_PER_FIRST_PRINTING)));
  const ranges = splitEvenly(bodies, runs);
  const results = await Promise.all(
    ranges.map(async (range) => {
      const { pdf, refused } = await print(render(undefined, range));
      const loaded = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: OBJECTS_PER_TICK });
      return { pages: loaded.getPageCount(), destinations: destinationPagesOf(loaded), refused };
    }),
  );
  const printed = new Map<string, number>();
  let before = 0;
  for (const { pages, destinations } of results) {
    for (const [id, page] of destinations) if (!printed.has(id)) printed.set(id, before + page);
    before += pages;
  }
  return { printed, refused: results.flatMap((result) => result.refused) };
}

/** `runs` consecutive ranges of about the same length of HTML. */
function splitEvenly(bodies: string[], runs: number): UnitRange[] {
  const total = bodies.reduce((sum, html) => sum + html.length, 0);
  const ranges: UnitRange[] = [];
  let from = 0;
  let size = 0;
  bodies.forEach((html, index) => {
    size += html.length;
    const left = bodies.length - index - 1;
    if (ranges.length < runs - 1 && size >= (total * (ranges.length + 1)) / runs && left > 0) {
      ranges.push({ from, to: index + 1 });
      from = index + 1;
    }
  });
  ranges.push({ from, to: bodies.length });
  return ranges;
}

/** The pages of the first printing, moved on by the blank pages that right-hand starts need. */
function pageLayout(book: BookLayout, printed: Map<string, number>): PageLayout {
  const pages = new Map<string, number>();
  const blankBefore = new Set<number>();
  let added = 0;
  book.units.forEach((unit, index) => {
    const page = printed.get(unit.headingId);
    if (page === undefined) throw new Error(`the first printing has no destination for "${unit.headingId}"`);
    if (book.chapterStart === 'right' && (page + added) % 2 === 0) {
      blankBefore.add(index);
      added += 1;
    }
    pages.set(unit.headingId, page + added);
  });
  return { pages, blankBefore };
}

function checkContentsPages(book: BookLayout, layout: PageLayout, printed: Map<string, number>): void {
  for (const unit of book.units) {
    const listed = layout.pages.get(unit.headingId);
    const actual = printed.get(unit.headingId);
    if (listed !== actual) {
      throw new GalleyError(
        `the contents give page ${listed} for "${unit.title}", but it was printed on page ${actual}: the template's layout changes between printings`,
      );
    }
  }
}

/** Parts and chapters, each nested under the nearest one before it of a higher level. */
function contentsTree(units: BookUnit[], pages: Map<string, number> | undefined): ContentsEntry[] {
  const root: ContentsEntry[] = [];
  const open: { level: number; entry: ContentsEntry }[] = [];
  for (const unit of units) {
    while (open.length > 0 && open.at(-1)!.level >= unit.level) open.pop();
    const page = pages?.get(unit.headingId);
    const entry: ContentsEntry = {
      kind: unit.kind,
      id: unit.headingId,
      title: unit.title,
      page: page === undefined ? '0' : String(page),
      children: [],
    };
    (open.at(-1)?.entry.children ?? root).push(entry);
    open.push({ level: unit.level, entry });
  }
  return root;
}
