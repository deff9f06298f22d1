import { decodePDFRawStream, PDFArray, PDFName, PDFRawStream, PDFRef, type PDFDocument, type PDFPage } from 'pdf-lib';

/**
 * Chrome draws every soft hyphen that falls inside a line (galley's hyphenation points) as an
 * invisible, zero-width glyph that the font's ToUnicode maps to a space, wrapped in
 * `/Span <</ActualText <feff00ad>>> BDC … EMC`. Poppler then extracts "As\u00adsem\u00adbly",
 * PDFBox "As sem bly". The glyph draws nothing and moves nothing, so it is taken out with its span,
 * keeping the text position before it. A hyphen at a line end is a real hyphen glyph outside such a
 * span, and stays.
 */
const INVISIBLE_SOFT_HYPHEN =
  /\/Span\s*<<\s*\/ActualText\s*<feff00ad>\s*>>\s*BDC\s+((?:-?[\d.]+\s+-?[\d.]+\s+Td\s+)?)<[0-9a-fA-F]+>\s*Tj\s+EMC\b/gi;
/** A soft-hyphen span of another shape: it keeps its glyph, but extracts as nothing. */
const SOFT_HYPHEN_TEXT = /\/ActualText\s*<feff00ad>/gi;

export function removeSoftHyphenGlyphs(pdf: PDFDocument): void {
  for (const page of pdf.getPages()) {
    for (const ref of contentStreamRefs(page)) {
      const stream = pdf.context.lookup(ref);
      if (!(stream instanceof PDFRawStream)) continue;
      const content = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      if (!/<feff00ad>/i.test(content)) continue;
      const cleaned = content.replace(INVISIBLE_SOFT_HYPHEN, '$1').replace(SOFT_HYPHEN_TEXT, '/ActualText ()');
      pdf.context.assign(ref, pdf.context.flateStream(Buffer.from(cleaned, 'latin1')));
    }
  }
}

function contentStreamRefs(page: PDFPage): PDFRef[] {
  const contents = page.node.get(PDFName.of('Contents'));
  if (contents instanceof PDFRef) {
    const target = page.doc.context.lookup(contents);
    if (target instanceof PDFArray) return target.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
    return [contents];
  }
  if (contents instanceof PDFArray) return contents.asArray().filter((item): item is PDFRef => item instanceof PDFRef);
  return [];
}
