import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from './errors.js';
import { readManifest, readRecordedOutput, sha256, type OutputRecord } from './output/manifest.js';

export interface VerifyResult {
  /** One line per output: `ok FILE`, or `FILE: what is wrong`; one line for a manifest that cannot be read. */
  lines: string[];
  /** Files that did not match, a broken manifest counted as one. */
  failed: number;
  /** Files checked: every output of every good manifest, and every broken manifest. */
  checked: number;
}

/**
 * Re-hashes every output named by the manifests in `outDir` (the archive included) and compares
 * each with the SHA-256 and size its manifest recorded when it was built.
 */
export async function verify(outDir: string): Promise<VerifyResult> {
  const manifests = await manifestFiles(outDir).catch(() => {
    throw new GalleyError('no such folder', { file: outDir });
  });
  if (manifests.length === 0) throw new GalleyError('no manifests here: build into this folder first', { file: outDir });
  const result: VerifyResult = { lines: [], failed: 0, checked: 0 };
  for (const manifestFile of manifests) {
    const { manifest, problem: manifestProblem } = await readManifest(manifestFile);
    if (!manifest) {
      // The broken manifest is the file that failed: nothing it names is read.
      result.checked += 1;
      result.failed += 1;
      result.lines.push(`${manifestFile}: ${manifestProblem}`);
      continue;
    }
    const folder = path.dirname(manifestFile);
    for (const output of manifest.outputs) {
      const problem = await checkOutput(folder, output);
      result.checked += 1;
      if (problem) result.failed += 1;
      result.lines.push(problem ? `${path.join(folder, output.file)}: ${problem}` : `ok ${path.join(folder, output.file)}`);
    }
  }
  return result;
}

async function checkOutput(folder: string, output: OutputRecord): Promise<string | undefined> {
  const read = await readRecordedOutput(folder, output.file);
  if (read.problem !== undefined) return read.problem;
  if (read.bytes.byteLength !== output.bytes)
    return `changed since it was built (${read.bytes.byteLength} bytes, the manifest says ${output.bytes})`;
  if (sha256(read.bytes) !== output.sha256) return 'changed since it was built (its SHA-256 differs from the manifest)';
  return undefined;
}

async function manifestFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await manifestFiles(full)));
    else if (entry.isFile() && entry.name.endsWith('.manifest.json')) found.push(full);
  }
  return found;
}
