import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import { readRecordedOutput, sha256, type Manifest } from './manifest.js';
import type { PendingOutput } from './write.js';

/** A folder name for an edition label: letters, digits, dots, dashes and underscores only. */
export function editionFolder(edition: string): string {
  const name = edition.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[.-]+|-+$/g, '');
  return name || 'edition';
}

export interface ArchivePlan {
  folder: string;
  /** The copies to write along with the edition: files the archive lacks, or (with replaceArchived) holds with other bytes. */
  copies: PendingOutput[];
  /** Archived files that hold other bytes and are to be replaced (only with replaceArchived). */
  replaced: string[];
}

/**
 * Plans the copies of an edition's files into `<out>/archive/<name>/<edition>/`, writing nothing.
 * An archived file is never replaced by different bytes unless `replaceArchived` is set: an edition, once
 * archived, stays as it was, and a refusal comes before any of the edition's files is written.
 */
export async function planArchive(
  outDir: string,
  name: string,
  edition: string,
  files: PendingOutput[],
  replaceArchived: boolean,
): Promise<ArchivePlan> {
  const folder = path.join(outDir, 'archive', name, editionFolder(edition));
  const plan: ArchivePlan = { folder, copies: [], replaced: [] };
  for (const file of files) {
    const target = path.join(folder, path.basename(file.path));
    const archived = await readArchived(target);
    if (archived?.equals(file.bytes)) continue;
    if (archived && !replaceArchived) {
      throw new GalleyError(
        `edition "${edition}" is already archived in ${folder} with other contents: give this one a new edition, or replace it with --replace-archived`,
      );
    }
    if (archived) plan.replaced.push(target);
    plan.copies.push({ path: target, bytes: file.bytes });
  }
  return plan;
}

async function readArchived(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new GalleyError(`cannot read the archived ${file} (${code ?? String(error)})`);
  }
}

/**
 * The files of an edition already built, for archiving without a rebuild: each output its
 * manifest names, read from inside `outDir` only and only if it still holds the bytes the
 * manifest recorded, then the manifest itself.
 */
export async function builtEdition(outDir: string, manifest: Manifest, manifestFile: string): Promise<PendingOutput[]> {
  const files: PendingOutput[] = [];
  for (const output of manifest.outputs) {
    const file = path.join(outDir, output.file);
    const read = await readRecordedOutput(outDir, output.file);
    if (read.problem !== undefined)
      throw new GalleyError(`cannot archive ${file}: it ${read.problem === 'missing' ? 'is missing' : read.problem}`);
    if (read.bytes.byteLength !== output.bytes || sha256(read.bytes) !== output.sha256) {
      throw new GalleyError(`cannot archive ${file}: it changed since it was built (rebuild it with --force)`);
    }
    files.push({ path: file, bytes: read.bytes });
  }
  const manifestBytes = await readRecordedOutput(path.dirname(manifestFile), path.basename(manifestFile));
  if (manifestBytes.problem !== undefined) throw new GalleyError(`cannot archive ${manifestFile}: it ${manifestBytes.problem}`);
  return [...files, { path: manifestFile, bytes: manifestBytes.bytes }];
}
