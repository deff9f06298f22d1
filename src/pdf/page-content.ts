import zlib from 'node:zlib';
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
      const content = decodeContent(stream).toString('latin1');
      const edited = edit(content);
      if (edited !== content) {
        // Node's zlib, not pdf-lib's JavaScript deflate: a book has hundreds of pages to compress again.
        const compressed = zlib.deflateSync(Buffer.from(edited, 'latin1'));
        pdf.context.assign(ref, pdf.context.stream(compressed, { Filter: 'FlateDecode' }));
      }
    }
  }
}

/** A content stream's bytes: Chrome's are Flate-compressed, which Node inflates natively; anything else goes through pdf-lib. */
function decodeContent(stream: PDFRawStream): Buffer {
  const filter = stream.dict.get(PDFName.of('Filter'));
  if (filter === PDFName.of('FlateDecode') && !stream.dict.has(PDFName.of('DecodeParms'))) return zlib.inflateSync(stream.contents);
  return Buffer.from(decodePDFRawStream(stream).decode());
}

function contentStreamRefs(page: PDFPage): PDFRef[] {
  const contents = page.node.get(PDFName.of('Contents'));
  const refsIn = (array: PDFArray) => array.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
  if (contents instanceof PDFArray) return refsIn(contents);
  if (!(contents instanceof PDFRef)) return [];
  const target = page.doc.context.lookup(contents);
  return target instanceof PDFArray ? refsIn(target) : [contents];
}
