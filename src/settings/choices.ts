/** The values some settings choose from, shared by the flags' and the front matter's schemas. */
export const PAPER_SIZES = ['a4', 'letter', 'a5'] as const;
export type Paper = (typeof PAPER_SIZES)[number];

export const FORMATS = ['pdf', 'epub'] as const;
export type Format = (typeof FORMATS)[number];

export function isPaper(value: string): value is Paper {
  return (PAPER_SIZES as readonly string[]).includes(value);
}

/** Parses `pdf,epub` into formats, or returns the unknown name. */
export function parseFormats(list: string): Format[] | { unknown: string } {
  const names = list
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const formats: Format[] = [];
  for (const name of names) {
    if (!(FORMATS as readonly string[]).includes(name)) return { unknown: name };
    if (!formats.includes(name as Format)) formats.push(name as Format);
  }
  return formats.length ? formats : { unknown: list };
}

/** What the PDF claims and is finished to meet: PDF/A-3a with PDF/UA-1, or nothing beyond Chrome's tagged PDF. */
export const PDF_STANDARDS = ['pdfa-3a', 'none'] as const;
export type PdfStandard = (typeof PDF_STANDARDS)[number];
