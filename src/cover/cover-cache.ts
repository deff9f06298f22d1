import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import * as v from 'valibot';
import { FileCache } from '../output/file-cache.js';
import { GALLEY_VERSION } from '../version.js';
import type { CoverBook } from './cover-layout.js';

const CachedCoverSchema = v.object({
  png: v.pipe(v.string(), v.base64()),
  warnings: v.array(v.string()),
});

export interface DrawnCover {
  bytes: Uint8Array;
  /** What the layout had to cut, and what the sanitizer removed from the template's SVG. */
  warnings: string[];
}

/** How many drawn covers (about 100 KB each) a long run keeps in memory; the folder keeps them all. */
const MEMORY_ENTRIES = 64;

const require = createRequire(import.meta.url);
const versionOf = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
/** What draws a cover besides its text and template: galley (the layout), resvg, and the fonts. */
const DRAWN_BY = ['@resvg/resvg-js', '@fontsource/source-serif-4', '@fontsource/source-sans-3'].map((name) => `${name}@${versionOf(name)}`);

/** The key of a generated cover: all it shows, its template, and what draws it. The fonts a machine falls back on are not in it. */
export function coverKey(book: CoverBook, templateSource: string): string {
  const { title, standfirst, authors, date, dateText, publisher, lang, dir } = book;
  const shown = { title, standfirst, authors, date, dateText, publisher, lang, dir };
  return createHash('sha256')
    .update(JSON.stringify([GALLEY_VERSION, DRAWN_BY, shown, templateSource]))
    .digest('hex');
}

/**
 * Drawn covers by key, so that an edit of a document's text never draws its cover again, and a hit
 * loads neither the fonts nor the rasterizer. A cached file that does not parse is drawn again.
 */
export class CoverCache {
  readonly #files: FileCache;

  constructor(dir: string) {
    this.#files = new FileCache(dir, '.json', MEMORY_ENTRIES);
  }

  async get(key: string): Promise<DrawnCover | undefined> {
    const bytes = await this.#files.get(key);
    if (bytes === undefined) return undefined;
    const parsed = v.safeParse(CachedCoverSchema, safeJson(Buffer.from(bytes).toString('utf8')));
    if (!parsed.success) return undefined;
    return { bytes: new Uint8Array(Buffer.from(parsed.output.png, 'base64')), warnings: parsed.output.warnings };
  }

  put(key: string, cover: DrawnCover): Promise<void> {
    const entry = { png: Buffer.from(cover.bytes).toString('base64'), warnings: cover.warnings };
    return this.#files.put(key, Buffer.from(JSON.stringify(entry)));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
