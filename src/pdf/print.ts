import path from 'node:path';
import { traced } from '../report/trace.js';
import type { DocumentModel, Notice } from '../document/model.js';
import type { Paper, PdfStandard } from '../settings/choices.js';
import { formulaLabel, formulaTokens, type RenderedFormula } from '../document/math.js';
import { renderPrintBody } from '../document/render.js';
import { titleBlockContext } from '../render/context.js';
import type { TemplateSet } from '../render/templates.js';
import { withGuardedPage } from '../browser/guarded-page.js';
import type { PageSource } from '../browser/session.js';
import { fontDirs, fontFaceCss } from '../render/fonts.js';
import { finishPdf } from './finish.js';
import { hyphenateHtml } from './hyphenate.js';
import { headingTexts } from './outline.js';
import { createPrintMarkdown } from './print-markup.js';

const printMarkdown = createPrintMarkdown();

export interface PrintedPdf {
  bytes: Uint8Array;
  pages: number;
  warnings: Notice[];
}

export interface PrintSettings {
  paper: Paper;
  /** What the finished PDF meets and claims (default: PDF/A-3a with PDF/UA-1). */
  standard?: PdfStandard | undefined;
  /** galley's version, for the PDF's Creator. */
  version: string;
}

/** What both print templates and print.css see: the title block, the paper and the colophon. */
export function printContext(doc: DocumentModel, templates: TemplateSet, settings: PrintSettings) {
  const context = {
    ...titleBlockContext(doc.metadata),
    publisher: doc.metadata.publisher,
    rights: doc.metadata.rights,
    paper: settings.paper,
    isPaper: { [settings.paper]: true },
    colophon: { galley: `galley ${settings.version}`, source: path.basename(doc.sourcePath) },
  };
  return { ...context, css: `${fontFaceCss()}\n${templates.render.printCss(context)}` };
}

/** The print page: galley's @font-face rules and the print CSS, the title block, the hyphenated body. */
export function renderPrintHtml(doc: DocumentModel, templates: TemplateSet, settings: PrintSettings): string {
  const context = printContext(doc, templates, settings);
  const body = hyphenateHtml(renderPrintBody(doc, printMarkdown), doc.metadata.lang);
  return templates.render.printHtml({ ...context, body });
}

/**
 * Prints the document in Chrome with JavaScript off. The page may load files from the document's
 * folder, the templates' folders and the font packages only; every other request is refused and reported.
 */
export async function printPdf(
  session: PageSource,
  doc: DocumentModel,
  templates: TemplateSet,
  settings: PrintSettings,
): Promise<PrintedPdf> {
  if (doc.book) return (await import('./print-book.js')).printBook(session, doc, templates, settings);
  const html = renderPrintHtml(doc, templates, settings);
  const { pdf: printed, refused } = await traced(`${doc.name}: printed`, printInChrome(session, doc, templates, html, { final: true }));
  const finishing = finishPdf(printed, doc, {
    version: settings.version,
    headings: headingTexts(html),
    formulas: renderedFormulas(doc),
    standard: settings.standard ?? 'pdfa-3a',
  });
  const { bytes, pages } = await traced(`${doc.name}: PDF finished`, finishing);
  return { bytes, pages, warnings: refused };
}

/** The TeX of every formula the document shows as MathML. */
export function renderedFormulas(doc: DocumentModel): string[] {
  const tokens = [...doc.blocks, ...[...doc.footnotes.values()].flat()];
  return formulaTokens(tokens).flatMap((token) => {
    const formula = (token.meta as { formula?: RenderedFormula } | null)?.formula;
    return formula?.mathml ? [formulaLabel(formula.tex)] : [];
  });
}

/**
 * One printing of `html`. Only the final one is tagged and gets bookmarks: a book's first printing
 * is read only for where its headings land. puppeteer's page.pdf() takes the PDF from Chrome as a
 * stream (Page.printToPDF with transferMode ReturnAsStream), so a long book never has to fit in one
 * DevTools message.
 */
export async function printInChrome(
  session: PageSource,
  doc: DocumentModel,
  templates: TemplateSet,
  html: string,
  { final }: { final: boolean },
): Promise<{ pdf: Uint8Array; refused: Notice[] }> {
  const templateDirs = Object.values(templates.files).map((file) => path.dirname(file));
  const imageDirs = [...doc.images.values()].map((image) => path.dirname(image.path));
  const allowedDirs = [doc.folder, ...imageDirs, ...templateDirs, ...fontDirs()];
  const { result, refused } = await withGuardedPage(session, 'print', { html, allowedDirs, remoteAccess: session.remoteAccess }, (page) =>
    page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: final, outline: final }),
  );
  return { pdf: result, refused };
}
