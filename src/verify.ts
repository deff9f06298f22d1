import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from './errors.js';
import { readManifest, sha256 } from './output/manifest.js';

export interface VerifyResult {
  /** One line per output: `ok FILE`, or `FILE: what is wrong`. */
  lines: string[];
  failed: number;
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
    const manifest = await readManifest(manifestFile);
    if (!manifest) {
      result.failed += 1;
      result.lines.push(`${manifestFile}: not a galley manifest`);
      continue;
    }
    for (const output of manifest.outputs) {
      const file = path.join(path.dirname(manifestFile), output.file);
      const problem = await checkOutput(file, output.sha256, output.bytes);
      result.checked += 1;
      if (problem) result.failed += 1;
      result.lines.push(problem ? `${file}: ${problem}` : `ok ${file}`);
    }
  }
  return result;
}

async function checkOutput(file: string, expectedSha256: string, expectedBytes: number): Promise<string | undefined> {
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes) return 'missing';
  if (bytes.byteLength !== expectedBytes) return `changed since it was built (${bytes.byteLength} bytes, the manifest says ${expectedBytes})`;
  if (sha256(bytes) !== expectedSha256) return 'changed since it was built (its SHA-256 differs from the manifest)';
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
