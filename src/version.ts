import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * galley's own folder, the one with its package.json and templates/, found by walking up from this
 * code: it runs from src/ in the tests and from the bundle in dist/ in the bin.
 */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

export const GALLEY_VERSION = readPackage(PACKAGE_ROOT)!.version;

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (readPackage(dir)?.name === 'galley') return dir;
    if (path.dirname(dir) === dir) throw new Error(`galley: no galley package.json above ${start}`);
  }
}

function readPackage(dir: string): { name: string; version: string } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  } catch {
    return undefined;
  }
}
