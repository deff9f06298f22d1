import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import { writeOutputs } from './write.js';

/** A folder name for an edition label: letters, digits, dots, dashes and underscores only. */
export function editionFolder(edition: string): string {
  const name = edition.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[.-]+|-+$/g, '');
  return name || 'edition';
}

export interface ArchiveOutcome {
  folder: string;
  /** Files that held other bytes and were replaced (only with --force). */
  replaced: string[];
}

/**
 * Copies an edition's files into `<out>/archive/<name>/<edition>/`. An archived file is never
 * replaced by different bytes unless `force` is set: an edition, once archived, stays as it was.
 */
export async function archiveEdition(outDir: string, name: string, edition: string, files: string[], force: boolean): Promise<ArchiveOutcome> {
  const folder = path.join(outDir, 'archive', name, editionFolder(edition));
  const copies = await Promise.all(files.map(async (file) => ({ target: path.join(folder, path.basename(file)), bytes: await readFile(file) })));
  const replaced: string[] = [];
  for (const copy of copies) {
    const archived = await readFile(copy.target).catch(() => undefined);
    if (!archived || archived.equals(copy.bytes)) continue;
    if (!force) {
      throw new GalleyError(
        `edition "${edition}" is already archived in ${folder} with other contents: give this one a new edition, or replace it with --force`,
      );
    }
    replaced.push(copy.target);
  }
  await mkdir(folder, { recursive: true });
  await writeOutputs(copies.map((copy) => ({ path: copy.target, bytes: copy.bytes })));
  return { folder, replaced };
}
