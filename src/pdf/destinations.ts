import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { OBJECTS_PER_TICK } from './ticks.js';

/**
 * The page (1 for the first) of each named destination Chrome wrote: one for every element id
 * that a link points at. This is where each heading of a book really landed.
 */
export async function destinationPages(bytes: Uint8Array): Promise<Map<string, number>> {
  return destinationPagesOf(await PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: OBJECTS_PER_TICK }));
}

/** destinationPages, of a PDF loaded already. */
export function destinationPagesOf(pdf: PDFDocument): Map<string, number> {
  const pageOf = new Map<string, number>();
  pdf.getPages().forEach((page, index) => pageOf.set(page.ref.toString(), index + 1));
  const pages = new Map<string, number>();
  const dests = pdf.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  for (const [name, value] of dests?.entries() ?? []) {
    const destination = pdf.context.lookup(value);
    const array = destination instanceof PDFDict ? destination.lookupMaybe(PDFName.of('D'), PDFArray) : destination;
    const target = array instanceof PDFArray ? array.get(0) : undefined;
    const page = target instanceof PDFRef ? pageOf.get(target.toString()) : undefined;
    if (page !== undefined) pages.set(elementId(Buffer.from(name.asBytes()).toString('utf8')), page);
  }
  return pages;
}

/** Chrome names a destination by its element's id, with the id's non-ASCII characters percent-encoded. */
function elementId(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
