import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MARKDOWN_EXTENSIONS } from './document/names.js';
import { findBook } from './book/find.js';
import { GalleyError } from './errors.js';

export interface SourceList {
  files: string[];
  errors: GalleyError[];
}

/**
 * Turns the paths given on the command line into Markdown files and books; folders are searched
 * recursively, and a folder that holds a book (book.yaml, SUMMARY.md or book.toml) is one book.
 */
export async function collectSources(paths: string[]): Promise<SourceList> {
  const files: string[] = [];
  const errors: GalleyError[] = [];
  for (const given of paths) {
    const info = await stat(given).catch(() => undefined);
    if (!info) errors.push(new GalleyError('no such file or folder', { file: given }));
    else if (!info.isDirectory()) files.push(given);
    else if (await findBook(given)) files.push(given);
    else {
      const found = await markdownFilesIn(given);
      if (found.length === 0)
        errors.push(new GalleyError(`no Markdown files (${MARKDOWN_EXTENSIONS.join(', ')}) in this folder`, { file: given }));
      files.push(...found);
    }
  }
  return { files: await firstOfEachFile(files), errors };
}

/** One spelling of each file (the first given): `content` and `./content/a.md` both name content/a.md. */
async function firstOfEachFile(files: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const file of files) {
    const real = await realpath(file).catch(() => path.resolve(file));
    if (seen.has(real)) continue;
    seen.add(real);
    kept.push(file);
  }
  return kept;
}

export function isMarkdownFile(file: string): boolean {
  return MARKDOWN_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

async function markdownFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...((await findBook(full)) ? [full] : await markdownFilesIn(full)));
    else if (entry.isFile() && isMarkdownFile(entry.name)) found.push(full);
  }
  return found;
}
