import path from 'node:path';

/** Where a document's manifest is written in the output folder. */
export function manifestPath(outDir: string, name: string): string {
  return path.join(outDir, `${name}.manifest.json`);
}
