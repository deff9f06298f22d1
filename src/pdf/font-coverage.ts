import { decodePDFRawStream, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFDocument } from 'pdf-lib';
import { GalleyError } from '../errors.js';
import { type Operation, readOperations, TEXT_SHOW } from './content-stream.js';
import { cmapCharacters } from './to-unicode.js';

const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Whether a content stream draws glyph 0 (.notdef) of a two-byte font, as Chrome writes glyph
 * strings for its CID fonts: `<0000…>`.
 */
const NOTDEF_IN_HEX_STRING = /<(?:[0-9a-fA-F]{4})*?0000/;

export function drawsNotdefGlyph(content: string, operations: Operation[] = readOperations(content)): boolean {
  // Most pages hold no hex string with a 0000 glyph at all: no need to look at their operators.
  if (!NOTDEF_IN_HEX_STRING.test(content)) return false;
  return operations.some(
    ({ operator, start, end }) =>
      TEXT_SHOW.has(operator) &&
      [...content.slice(start, end).matchAll(/<([0-9a-fA-F]+)>/g)].some(([, hex]) => /^(?:[0-9a-f]{4})*?0000/i.test(hex!)),
  );
}

/**
 * A character that no font on the machine has is drawn as a replacement box, and its glyph maps
 * back to U+FFFD: the text is lost from the page and from the text layer (PDF/A and PDF/UA forbid
 * .notdef glyphs). That is an error naming the character (the first one of the source that no
 * embedded font gives back) and its line.
 */
export function checkFontCoverage(pdf: PDFDocument, source: string, drawsNotdef: boolean): void {
  const drawn = new Set<string>();
  let replaced = drawsNotdef;
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const ref = object.get(PDFName.of('ToUnicode'));
    const stream = ref instanceof PDFRef ? pdf.context.lookup(ref) : undefined;
    if (!(stream instanceof PDFRawStream)) continue;
    for (const text of cmapCharacters(Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'))) {
      for (const character of text) drawn.add(character);
      if (text.includes(REPLACEMENT_CHARACTER) && !source.includes(REPLACEMENT_CHARACTER)) replaced = true;
    }
  }
  if (!replaced) return;
  const missing = [...source].find((character) => character.codePointAt(0)! > 0x7f && !/\s/u.test(character) && !drawn.has(character));
  const name = missing ? `"${missing}" (U+${missing.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})` : 'a character';
  const index = missing ? source.indexOf(missing) : -1;
  throw new GalleyError(
    `${name} is in no font galley ships or this machine has: it would print as an empty box (name a font that has it in print.css)`,
    {
      line: index < 0 ? undefined : source.slice(0, index).split('\n').length,
    },
  );
}
