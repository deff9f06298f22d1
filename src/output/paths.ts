import path from 'node:path';

/** Where a document's manifest is written in the output folder. */
export function manifestPath(outDir: string, name: string): string {
  return path.join(outDir, `${name}.manifest.json`);
}

/** Where, in the output folder, drawn diagrams are kept for the next build. */
export const DIAGRAM_CACHE_DIR = path.join('.galley-cache', 'diagrams');
/** Where drawn covers are kept, by what they show and the template. */
export const COVER_CACHE_DIR = path.join('.galley-cache', 'covers');
