import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as v from 'valibot';
import { FileCache, safeJson } from '../output/file-cache.js';
import { GALLEY_VERSION } from '../version.js';
import { coverFields } from './cover-fields.js';
import type { CoverBook } from './cover-layout.js';
import { PNG_SIGNATURE } from './png.js';

const WarningsSchema = v.array(v.string());
const NEWLINE = 0x0a;

export interface DrawnCover {
  bytes: Uint8Array;
  /** What the layout had to cut, and what the sanitizer removed from the template's SVG. */
  warnings: string[];
}

/**
 * How many drawn covers (about 200 KB each) a run keeps in memory; the folder keeps them
 * all, and a miss in memory reads its file. A batch draws each cover once, so holding 64 only grew
 * its memory (56 more covers, about 15 MB; 300 articles, one run each: Node's peak 6 to 27 MB
 * lower). Watch mode keeps the last few.
 */
const MEMORY_ENTRIES = 8;

const require = createRequire(import.meta.url);
/** A package's version, from the package.json beside a file it exports (resvg-wasm does not export its package.json). */
const versionOf = (name: string, exported: string) =>
  (JSON.parse(readFileSync(path.join(path.dirname(require.resolve(`${name}/${exported}`)), 'package.json'), 'utf8')) as { version: string })
    .version;
/** What draws a cover besides its text and template: galley (the layout), resvg, and the fonts. */
const DRAWN_BY = [
  ['@resvg/resvg-wasm', 'index_bg.wasm'],
  ['@resvg/resvg-js', 'package.json'],
  ['@fontsource/source-serif-4', 'package.json'],
  ['@fontsource/source-sans-3', 'package.json'],
].map(([name, exported]) => `${name}@${versionOf(name!, exported!)}`);

/** The key of a generated cover: all it shows, its template, and what draws it. The fonts a machine falls back on are not in it. */
export function coverKey(book: CoverBook, templateSource: string): string {
  return createHash('sha256')
    .update(JSON.stringify([GALLEY_VERSION, DRAWN_BY, coverFields(book), templateSource]))
    .digest('hex');
}

/**
 * Drawn covers by key, so that an edit of a document's text never draws its cover again, and a hit
 * loads neither the fonts nor the rasterizer. A cached file that does not parse is drawn again.
 */
export class CoverCache {
  readonly #entries: FileCache;
  /** Covers being drawn, by key. */
  readonly #drawing = new Map<string, Promise<DrawnCover>>();

  constructor(dir: string) {
    this.#entries = new FileCache(dir, '.cover', MEMORY_ENTRIES);
  }

  async get(key: string): Promise<DrawnCover | undefined> {
    const file = await this.#entries.get(key);
    return file && readCoverFile(file);
  }

  /** Whether a cover is kept for `key`, told at once: a miss can start drawing before anything else. */
  holds(key: string): boolean {
    return this.#entries.holds(key);
  }

  /** The cover for `key` from `draw`, which is called only when no drawing of that key is under way. */
  drawOnce(key: string, draw: () => Promise<DrawnCover>): Promise<DrawnCover> {
    let drawing = this.#drawing.get(key);
    if (!drawing) {
      drawing = draw().finally(() => this.#drawing.delete(key));
      this.#drawing.set(key, drawing);
    }
    return drawing;
  }

  put(key: string, cover: DrawnCover): Promise<void> {
    return this.#entries.put(key, coverFile(cover));
  }
}

/**
 * A cached cover's file: its warnings, a line of JSON, then its PNG as it is. As base64 in JSON,
 * an entry was a third larger, and each cover made a 270 KB string and as large a buffer more.
 */
function coverFile(cover: DrawnCover): Uint8Array {
  return Buffer.concat([Buffer.from(`${JSON.stringify(cover.warnings)}\n`), cover.bytes]);
}

/** The cover in a cached file, or undefined for a file that is not one (it is drawn again). */
function readCoverFile(file: Uint8Array): DrawnCover | undefined {
  const end = file.indexOf(NEWLINE);
  if (end < 0) return undefined;
  const warnings = v.safeParse(WarningsSchema, safeJson(Buffer.from(file.buffer, file.byteOffset, end).toString('utf8')));
  const bytes = file.subarray(end + 1);
  const png = bytes.byteLength > PNG_SIGNATURE.byteLength && PNG_SIGNATURE.equals(bytes.subarray(0, PNG_SIGNATURE.byteLength));
  return warnings.success && png ? { bytes, warnings: warnings.output } : undefined;
}
