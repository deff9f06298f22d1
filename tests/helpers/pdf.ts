import { readFile } from 'node:fs/promises';
import { getDocument, OPS, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';

/** One line of text as pdf.js found it: baseline y measured from the page's bottom, in points. */
export interface PdfLine {
  text: string;
  x: number;
  y: number;
  right: number;
}

/** A font dictionary of the PDF; `embedded` when its program is in the file (or it is a Type 3 font). */
export interface PdfFont {
  name: string;
  subtype: string;
  embedded: boolean;
}

/** A link annotation: to a web address, or to a page of the document (0-based). */
export interface PdfLink {
  url: string | undefined;
  targetPage: number | undefined;
}

/** A raster image as drawn on a page, in points. */
export interface PdfImage {
  x: number;
  width: number;
  height: number;
}

export interface PdfReadBack {
  pages: string[];
  /** Each page's link annotations. */
  links: PdfLink[][];
  /** Each page's raster images. */
  images: PdfImage[][];
  /** Each page's lines, top to bottom. */
  lines: PdfLine[][];
  fonts: PdfFont[];
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
  const lines: PdfLine[][] = [];
  const links: PdfLink[][] = [];
  const images: PdfImage[][] = [];
  const pageSizes: { width: number; height: number }[] = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    lines.push(groupLines(content.items.filter((item) => 'str' in item)));
    links.push(await readLinks(pdf, page));
    images.push(await readImages(page));
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    pageSizes.push({ width: x1 - x0, height: y1 - y0 });
  }
  const { info } = await pdf.getMetadata();
  const outline = flattenOutline((await pdf.getOutline()) ?? []);
  await pdf.destroy();

  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  const catalog = document.catalog;
  const lang = catalog.lookup(PDFName.of('Lang'));
  const markInfo = catalog.lookup(PDFName.of('MarkInfo'));
  return {
    pages,
    lines,
    links,
    images,
    fonts: listFonts(document),
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

async function readLinks(pdf: PDFDocumentProxy, page: PDFPageProxy): Promise<PdfLink[]> {
  const annotations = (await page.getAnnotations()) as { subtype: string; url?: string; dest?: string | unknown[] }[];
  const links: PdfLink[] = [];
  for (const annotation of annotations.filter((candidate) => candidate.subtype === 'Link')) {
    const dest = typeof annotation.dest === 'string' ? await pdf.getDestination(annotation.dest) : annotation.dest;
    const ref = Array.isArray(dest) ? (dest[0] as { num: number; gen: number }) : undefined;
    links.push({ url: annotation.url, targetPage: ref ? await pdf.getPageIndex(ref) : undefined });
  }
  return links;
}

/** Follows the transformation matrix through the page's operators to where each image is drawn. */
async function readImages(page: PDFPageProxy): Promise<PdfImage[]> {
  const { fnArray, argsArray } = await page.getOperatorList();
  const multiply = (m: number[], n: number[]) => [
    n[0]! * m[0]! + n[1]! * m[2]!,
    n[0]! * m[1]! + n[1]! * m[3]!,
    n[2]! * m[0]! + n[3]! * m[2]!,
    n[2]! * m[1]! + n[3]! * m[3]!,
    n[4]! * m[0]! + n[5]! * m[2]! + m[4]!,
    n[4]! * m[1]! + n[5]! * m[3]! + m[5]!,
  ];
  let matrix = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  const images: PdfImage[] = [];
  fnArray.forEach((op, index) => {
    const args = argsArray[index] as unknown[];
    if (op === OPS.save) stack.push(matrix);
    else if (op === OPS.restore) matrix = stack.pop() ?? matrix;
    else if (op === OPS.transform) matrix = multiply(matrix, args as number[]);
    else if (op === OPS.paintFormXObjectBegin) {
      stack.push(matrix);
      if (Array.isArray(args[0])) matrix = multiply(matrix, args[0] as number[]);
    } else if (op === OPS.paintFormXObjectEnd) matrix = stack.pop() ?? matrix;
    else if (op === OPS.paintImageXObject || op === OPS.paintInlineImageXObject) {
      images.push({ x: matrix[4]!, width: Math.hypot(matrix[0]!, matrix[1]!), height: Math.hypot(matrix[2]!, matrix[3]!) });
    }
  });
  return images;
}

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
}

function groupLines(items: TextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let current: TextItem[] = [];
  for (const item of items) {
    current.push(item);
    if (!item.hasEOL) continue;
    lines.push(toLine(current));
    current = [];
  }
  if (current.length) lines.push(toLine(current));
  return lines.filter((line) => line.text.trim() !== '').sort((a, b) => b.y - a.y);
}

function toLine(items: TextItem[]): PdfLine {
  const drawn = items.filter((item) => item.str !== '');
  const x = Math.min(...drawn.map((item) => item.transform[4]!));
  const right = Math.max(...drawn.map((item) => item.transform[4]! + item.width));
  return { text: items.map((item) => item.str).join(''), x, y: drawn[0]?.transform[5] ?? 0, right };
}

/** Every font dictionary in the file, with whether its font program is embedded. */
function listFonts(document: PDFDocument): PdfFont[] {
  const fonts: PdfFont[] = [];
  for (const [, object] of document.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const subtype = String(object.get(PDFName.of('Subtype')) ?? '').replace(/^\//, '');
    if (subtype === 'CIDFontType0' || subtype === 'CIDFontType2') continue; // reported through their Type0 parent
    const name = String(object.get(PDFName.of('BaseFont')) ?? '').replace(/^\//, '');
    fonts.push({ name, subtype, embedded: subtype === 'Type3' || hasFontProgram(document, object) });
  }
  return fonts;
}

function hasFontProgram(document: PDFDocument, font: PDFDict): boolean {
  const lookup = (value: unknown) => (value instanceof PDFRef ? document.context.lookup(value) : value);
  let described = font;
  const descendants = lookup(font.get(PDFName.of('DescendantFonts')));
  if (descendants instanceof PDFArray) described = lookup(descendants.get(0)) as PDFDict;
  const descriptor = lookup(described.get(PDFName.of('FontDescriptor')));
  if (!(descriptor instanceof PDFDict)) return false;
  return ['FontFile', 'FontFile2', 'FontFile3'].some((key) => descriptor.get(PDFName.of(key)) !== undefined);
}

/** Text of a page with whitespace folded and soft hyphens left out, for searching across line breaks. */
export function flat(text: string): string {
  return text
    .replace(/\u00AD/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A structure element of a tagged PDF: its type (H1, P, Figure…), its /Alt, and its depth. */
export interface StructureElement {
  type: string;
  alt: string | undefined;
  depth: number;
}

/** The structure tree, depth first, read with pdf-lib. */
export async function readStructure(file: string): Promise<StructureElement[]> {
  const document = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  const elements: StructureElement[] = [];
  const text = (value: unknown) => (value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined);
  const visit = (node: unknown, depth: number): void => {
    const value = node instanceof PDFRef ? document.context.lookup(node) : node;
    if (value instanceof PDFArray) {
      for (const item of value.asArray()) visit(item, depth);
      return;
    }
    if (!(value instanceof PDFDict)) return;
    const type = value.get(PDFName.of('S'));
    if (type instanceof PDFName) elements.push({ type: type.decodeText(), alt: text(value.get(PDFName.of('Alt'))), depth });
    visit(value.get(PDFName.of('K')), type instanceof PDFName ? depth + 1 : depth);
  };
  visit(document.catalog.get(PDFName.of('StructTreeRoot')), 0);
  return elements;
}
