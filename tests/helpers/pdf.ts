import { readFile } from 'node:fs/promises';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';

export interface PdfReadBack {
  pages: string[];
  pageSizes: { width: number; height: number }[];
  info: Record<string, unknown>;
  outline: string[];
  /** Document information read by pdf-lib, for the fields pdf.js does not expose. */
  language: string | undefined;
  tagged: boolean;
}

/** Reads a PDF back through pdf.js (text, sizes, outline, info) and pdf-lib (catalog entries). */
export async function readPdf(file: string): Promise<PdfReadBack> {
  const bytes = new Uint8Array(await readFile(file));
  const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  const pageSizes: { width: number; height: number }[] = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    pageSizes.push({ width: x1 - x0, height: y1 - y0 });
  }
  const { info } = await pdf.getMetadata();
  const outline = flattenOutline((await pdf.getOutline()) ?? []);
  await pdf.destroy();

  const catalog = (await PDFDocument.load(bytes, { updateMetadata: false })).catalog;
  const lang = catalog.lookup(PDFName.of('Lang'));
  const markInfo = catalog.lookup(PDFName.of('MarkInfo'));
  return {
    pages,
    pageSizes,
    info: info as Record<string, unknown>,
    outline,
    language: lang instanceof PDFString || lang instanceof PDFHexString ? lang.decodeText() : undefined,
    tagged: markInfo instanceof PDFDict && String(markInfo.get(PDFName.of('Marked'))) === 'true',
  };
}

interface OutlineEntry {
  title: string;
  items: OutlineEntry[];
}

/** Bookmark titles, depth first: a heading's children follow it. */
function flattenOutline(entries: OutlineEntry[]): string[] {
  return entries.flatMap((entry) => [entry.title, ...flattenOutline(entry.items)]);
}

/** Text of a page with whitespace folded, for searching across line breaks. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
