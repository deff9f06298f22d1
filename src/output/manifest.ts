import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentModel } from '../document/model.js';
import type { Format } from '../options.js';
import type { TemplateSet } from '../render/templates.js';

/** Everything an edition is made from. The same inputs give the same outputs. */
export interface BuildInputs {
  galley: string;
  options: Record<string, unknown>;
  templates: string;
  source: string;
  images: Record<string, string>;
  sourceDateEpoch: string | null;
}

export interface OutputRecord {
  format: Format;
  file: string;
  sha256: string;
  bytes: number;
  pages?: number;
  chapters?: number;
}

/** `<out>/<name>.manifest.json`: what an edition was built from and what it holds. */
export interface Manifest {
  manifest: 1;
  source: { file: string; sha256: string };
  inputs: BuildInputs;
  inputsSha256: string;
  outputs: OutputRecord[];
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function manifestPath(outDir: string, name: string): string {
  return path.join(outDir, `${name}.manifest.json`);
}

/** One hash over every template file, for every document built with them. */
export async function templatesHash(templates: TemplateSet): Promise<string> {
  const hash = createHash('sha256');
  for (const [name, file] of Object.entries(templates.files).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`${name}\0`).update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

export async function documentInputs(
  doc: DocumentModel,
  context: { galley: string; options: Record<string, unknown>; templates: string },
): Promise<BuildInputs> {
  const images: Record<string, string> = {};
  const resources = [...doc.images.values(), ...(doc.cover ? [{ ...doc.cover, src: `cover:${doc.cover.src}` }] : [])];
  for (const image of resources) images[image.src] = sha256(await readFile(image.path));
  return {
    ...context,
    source: sha256(await readFile(doc.sourcePath)),
    images,
    sourceDateEpoch: process.env.SOURCE_DATE_EPOCH ?? null,
  };
}

export async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    return manifest.manifest === 1 ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** Outputs are up to date when they were built from the same inputs and are still there, whole. */
export async function isUpToDate(manifest: Manifest | undefined, inputsSha256: string, outDir: string): Promise<boolean> {
  if (!manifest || manifest.inputsSha256 !== inputsSha256) return false;
  for (const output of manifest.outputs) {
    const info = await stat(path.join(outDir, output.file)).catch(() => undefined);
    if (info?.size !== output.bytes) return false;
  }
  return true;
}
