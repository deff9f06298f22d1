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
      const { problem, claims } = await checkOutput(folder, output);
      result.checked += 1;
      if (problem) result.failed += 1;
      const file = path.join(folder, output.file);
      result.lines.push(problem ? `${file}: ${problem}` : `ok ${file}${claims ? ` (claims ${claims})` : ''}`);
    }
  }
  return result;
}

async function checkOutput(folder: string, output: OutputRecord): Promise<{ problem?: string; claims?: string }> {
  const read = await readRecordedOutput(folder, output.file);
  if (read.problem !== undefined) return { problem: read.problem };
  if (read.bytes.byteLength !== output.bytes) {
    return { problem: `changed since it was built (${read.bytes.byteLength} bytes, the manifest says ${output.bytes})` };
  }
  if (sha256(read.bytes) !== output.sha256) return { problem: 'changed since it was built (its SHA-256 differs from the manifest)' };
  return { claims: output.format === 'pdf' ? claimedStandards(read.bytes) : undefined };
}

/** The standards a PDF claims in its XMP (galley writes the packet uncompressed): "PDF/A-3a, PDF/UA-1". */
function claimedStandards(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes).toString('latin1');
  const packet = text.slice(text.indexOf('<x:xmpmeta'), text.indexOf('</x:xmpmeta>'));
  const part = /<pdfaid:part>(\d)<\/pdfaid:part>/.exec(packet)?.[1];
  const conformance = /<pdfaid:conformance>([ABU])<\/pdfaid:conformance>/.exec(packet)?.[1];
  const ua = /<pdfuaid:part>(\d)<\/pdfuaid:part>/.exec(packet)?.[1];
  const claims = [part ? `PDF/A-${part}${(conformance ?? '').toLowerCase()}` : '', ua ? `PDF/UA-${ua}` : ''].filter(Boolean);
  return claims.length ? claims.join(', ') : undefined;
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
