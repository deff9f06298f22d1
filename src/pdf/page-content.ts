import { decodePDFRawStream, PDFArray, PDFName, PDFRawStream, PDFRef, type PDFDocument, type PDFPage } from 'pdf-lib';

/**
 * Rewrites every page's content streams as text (their bytes read as Latin-1, one character per
 * byte), and writes back those the edit changed, compressed again.
 */
export function rewritePageContents(pdf: PDFDocument, edit: (content: string) => string): void {
  for (const page of pdf.getPages()) {
    for (const ref of contentStreamRefs(page)) {
      const stream = pdf.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const content = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      const edited = edit(content);
      if (edited !== content) pdf.context.assign(ref, pdf.context.flateStream(Buffer.from(edited, 'latin1')));
    }
  }
}

function contentStreamRefs(page: PDFPage): PDFRef[] {
  const contents = page.node.get(PDFName.of('Contents'));
  const refsIn = (array: PDFArray) => array.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
  if (contents instanceof PDFArray) return refsIn(contents);
  if (!(contents instanceof PDFRef)) return [];
  const target = page.doc.context.lookup(contents);
  return target instanceof PDFArray ? refsIn(target) : [contents];
}
