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

export function removeSoftHyphenGlyphs(content: string): string {
  if (!/<feff00ad>/i.test(content)) return content;
  return content.replace(INVISIBLE_SOFT_HYPHEN, '$1').replace(SOFT_HYPHEN_TEXT, '/ActualText ()');
}
