import { decodePDFRawStream, PDFDict, PDFName, PDFRawStream, PDFRef, type PDFDocument } from 'pdf-lib';

/**
 * Chrome (Skia) writes each glyph's text as the lowest code point that the font maps to it.
 * Source Serif and Source Sans draw ’ (U+2019) and ʼ (U+02BC) with one glyph, so every ’ would
 * come back out of the PDF as ʼ, and "Korea’s" could not be found; Noto CJK draws 〈 (U+3008) and
 * its canonical equivalent U+2329 alike. Such glyphs are given back the character text uses.
 */
const SUBSTITUTES = new Map([
  [0x02bc, 0x2019],
  [0x02bb, 0x2018],
]);

/**
 * Code points PDF/A forbids as a glyph's text (ISO 19005-3, 6.2.11.7.2). Chrome writes U+0000 for
 * glyphs that stand for no character, such as the pieces a math font builds a tall radical or
 * brace from: they get a zero-width space, which extracts as nothing.
 */
const NO_CHARACTER = new Set([0x0000, 0xfeff, 0xfffe]);
const ZERO_WIDTH_SPACE = 0x200b;

/** The character a glyph mapped to `code` most likely stands for. */
function preferred(code: number): number {
  if (NO_CHARACTER.has(code)) return ZERO_WIDTH_SPACE;
  const substitute = SUBSTITUTES.get(code);
  if (substitute) return substitute;
  const canonical = [...String.fromCodePoint(code).normalize('NFC')];
  return canonical.length === 1 ? canonical[0]!.codePointAt(0)! : code;
}

interface Mapping {
  /** The character code as written, in hex: its width (1 or 2 bytes) is the font's. */
  code: string;
  /** UTF-16 code units. */
  text: number[];
}

/** Gives such glyphs back their usual characters, in every font's ToUnicode CMap. */
export function repairToUnicode(pdf: PDFDocument): void {
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue;
    const ref = object.get(PDFName.of('ToUnicode'));
    const stream = ref instanceof PDFRef ? pdf.context.lookup(ref) : undefined;
    if (!(ref instanceof PDFRef) || !(stream instanceof PDFRawStream)) continue;
    const cmap = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    const repaired = repairCMap(cmap);
    if (repaired !== cmap) pdf.context.assign(ref, pdf.context.flateStream(repaired));
  }
}

/** The CMap with those glyphs' characters restored; unchanged when it has none, or a form this does not read. */
export function repairCMap(cmap: string): string {
  const first = cmap.search(/\d+\s+begin(bfchar|bfrange)/);
  const last = cmap.lastIndexOf('endcmap');
  if (first < 0 || last < 0) return cmap;
  const mappings = readMappings(cmap.slice(first, last));
  const single = (text: number[]) => text.length === 1 && (text[0]! < 0xd800 || text[0]! > 0xdfff);
  if (!mappings?.some(({ text }) => single(text) && preferred(text[0]!) !== text[0])) return cmap;
  const utf16 = (codePoint: number) =>
    Array.from({ length: codePoint > 0xffff ? 2 : 1 }, (_, index) => String.fromCodePoint(codePoint).charCodeAt(index));
  const repaired = mappings.map(({ code, text }) => ({ code, text: single(text) ? utf16(preferred(text[0]!)) : text }));
  return cmap.slice(0, first) + writeBfChars(repaired) + cmap.slice(last);
}

/** The characters a font's ToUnicode CMap gives its glyphs, read from the CMap's text. */
export function cmapCharacters(cmap: string): string[] {
  const first = cmap.search(/\d+\s+begin(bfchar|bfrange)/);
  const last = cmap.lastIndexOf('endcmap');
  if (first < 0 || last < 0) return [];
  return (readMappings(cmap.slice(first, last)) ?? []).map(({ text }) => String.fromCharCode(...text));
}

function readMappings(body: string): Mapping[] | undefined {
  const mappings: Mapping[] = [];
  const hex = (value: string) => parseInt(value, 16);
  const units = (value: string) => value.match(/.{4}/g)!.map(hex);
  for (const block of body.matchAll(/begin(bfchar|bfrange)([\s\S]*?)end\1/g)) {
    const entries = block[2]!.trim();
    if (entries === '') continue;
    if (block[1] === 'bfchar') {
      for (const [, code, text] of entries.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>/gi)) {
        if (text!.length % 4 !== 0) return undefined;
        mappings.push({ code: code!, text: units(text!) });
      }
    } else {
      if (entries.includes('[')) return undefined;
      // Each entry is three hex strings: the first and last code, and the text of the first, whose
      // last unit counts up (a character outside the BMP is two units: a surrogate pair).
      const strings = [...entries.matchAll(/<([0-9a-f]*)>/gi)].map((match) => match[1]!);
      if (strings.length % 3 !== 0) return undefined;
      for (let index = 0; index < strings.length; index += 3) {
        const [start, end, text] = [strings[index]!, strings[index + 1]!, strings[index + 2]!];
        const [first, last] = [hex(start), hex(end)];
        if (text.length === 0 || text.length % 4 !== 0 || last < first || last - first > 0xffff) return undefined;
        const base = units(text);
        for (let code = first; code <= last; code += 1) {
          const counted = [...base.slice(0, -1), base.at(-1)! + code - first];
          mappings.push({ code: code.toString(16).padStart(start.length, '0'), text: counted });
        }
      }
    }
  }
  return mappings;
}

/** The mappings as `bfchar` blocks of at most 100 entries, as the CMap format asks. */
function writeBfChars(mappings: Mapping[]): string {
  const hex = (value: number) => value.toString(16).toUpperCase().padStart(4, '0');
  const blocks: string[] = [];
  for (let index = 0; index < mappings.length; index += 100) {
    const slice = mappings.slice(index, index + 100);
    const lines = slice.map(({ code, text }) => `<${code.toUpperCase()}> <${text.map(hex).join('')}>`);
    blocks.push(`${slice.length} beginbfchar\n${lines.join('\n')}\nendbfchar\n`);
  }
  return blocks.join('');
}
