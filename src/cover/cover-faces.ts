import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as fontkit from 'fontkit';
import { fontPackageDir } from '../render/fonts.js';

/** The styles of type on the cover: as in the print edition, Source Serif 4 for the words and Source Sans 3 for the labels. */
export type CoverStyle = 'title' | 'standfirst' | 'standfirstUpright' | 'label' | 'date';

interface FaceSpec {
  fontPackage: 'source-serif-4' | 'source-sans-3';
  weight: 400 | 600;
  style: 'normal' | 'italic';
}

const STYLES: Record<CoverStyle, FaceSpec> = {
  title: { fontPackage: 'source-serif-4', weight: 600, style: 'normal' },
  standfirst: { fontPackage: 'source-serif-4', weight: 400, style: 'italic' },
  standfirstUpright: { fontPackage: 'source-serif-4', weight: 400, style: 'normal' },
  label: { fontPackage: 'source-sans-3', weight: 600, style: 'normal' },
  date: { fontPackage: 'source-sans-3', weight: 400, style: 'normal' },
};

/** One font file's face, opened by fontkit (which reads WOFF2 itself). */
export interface Face {
  font: fontkit.Font;
}

interface Subset {
  ranges: [number, number][];
  file: string;
}

const runFile = promisify(execFile);

/**
 * The faces that draw the cover's characters. Fontsource splits each face into subsets (latin,
 * latin-ext, cyrillic, …); a character is drawn by the subset whose range holds it, opened only
 * when first needed. A character no subset has (Hangul, Han, Arabic) is drawn by the font that
 * fontconfig picks for it and the document's language, as Chrome would, when the machine has one.
 */
export class CoverFaces {
  readonly #opened = new Map<string, Promise<Face | undefined>>();
  readonly #subsets = new Map<string, Promise<Subset[]>>();
  /** The faces fontconfig gave for each style, tried first for the next character none of the subsets has. */
  readonly #fallbacks = new Map<CoverStyle, Face[]>();

  /** The face that draws `codePoint` in `style`, or undefined when no font here has it. */
  async faceFor(style: CoverStyle, codePoint: number, lang: string): Promise<Face | undefined> {
    const spec = STYLES[style];
    for (const subset of await this.#subsetsOf(spec)) {
      if (!subset.ranges.some(([from, to]) => codePoint >= from && codePoint <= to)) continue;
      const face = await this.#open(subset.file);
      if (face?.font.hasGlyphForCodePoint(codePoint)) return face;
    }
    const known = this.#fallbacks.get(style) ?? [];
    const fallback = known.find((face) => face.font.hasGlyphForCodePoint(codePoint)) ?? (await this.#fallback(spec, codePoint, lang));
    if (!fallback?.font.hasGlyphForCodePoint(codePoint)) return undefined;
    if (!known.includes(fallback)) this.#fallbacks.set(style, [...known, fallback]);
    return fallback;
  }

  /** The face of `style` that holds the Latin letters: it draws spaces, and the boxes of characters no font has. */
  async primary(style: CoverStyle): Promise<Face> {
    const face = await this.faceFor(style, 0x41, 'en');
    if (!face) throw new Error(`no Latin face for the cover's ${style}`);
    return face;
  }

  #subsetsOf(spec: FaceSpec): Promise<Subset[]> {
    const key = `${spec.fontPackage}-${spec.weight}-${spec.style}`;
    let subsets = this.#subsets.get(key);
    if (!subsets) {
      subsets = readSubsets(spec);
      this.#subsets.set(key, subsets);
    }
    return subsets;
  }

  #open(file: string, index = 0): Promise<Face | undefined> {
    const key = `${file}#${index}`;
    let face = this.#opened.get(key);
    if (!face) {
      face = openFace(file, index);
      this.#opened.set(key, face);
    }
    return face;
  }

  async #fallback(spec: FaceSpec, codePoint: number, lang: string): Promise<Face | undefined> {
    const generic = spec.fontPackage === 'source-serif-4' ? 'serif' : 'sans-serif';
    const pattern = [
      generic,
      `lang=${lang.replace(/[^A-Za-z-]/g, '')}`,
      `weight=${spec.weight === 600 ? 'semibold' : 'regular'}`,
      `slant=${spec.style === 'italic' ? 'italic' : 'roman'}`,
      `charset=${codePoint.toString(16)}`,
    ].join(':');
    const found = await runFile('fc-match', ['--format=%{file}\n%{index}\n', pattern], { timeout: 5000 }).catch(() => undefined);
    const [file, index] = found?.stdout.split('\n') ?? [];
    if (!file) return undefined;
    return this.#open(file, Number(index) || 0);
  }
}

/** The subsets of a face, Latin first, with the code point ranges Fontsource gives them. */
async function readSubsets(spec: FaceSpec): Promise<Subset[]> {
  const dir = fontPackageDir(spec.fontPackage);
  const ranges = JSON.parse(await readFile(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const names = Object.keys(ranges).sort((a, b) => latinFirst(a) - latinFirst(b));
  return names.map((name) => ({
    ranges: parseRanges(ranges[name]!),
    file: path.join(dir, 'files', `${spec.fontPackage}-${name}-${spec.weight}-${spec.style}.woff2`),
  }));
}

function latinFirst(subset: string): number {
  return subset === 'latin' ? 0 : subset === 'latin-ext' ? 1 : 2;
}

/** `U+0000-00FF,U+0131` as code point ranges. */
function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    return [Number.parseInt(from!, 16), Number.parseInt(to ?? from!, 16)];
  });
}

/** A font file, or the face at `index` of a collection (.ttc); undefined when it cannot be read. */
async function openFace(file: string, index: number): Promise<Face | undefined> {
  try {
    const opened = fontkit.create(await readFile(file));
    if (!('fonts' in opened)) return { font: opened };
    const font = opened.fonts[index] ?? opened.fonts[0];
    return font ? { font } : undefined;
  } catch {
    return undefined;
  }
}
