import { stat } from 'node:fs/promises';
import path from 'node:path';

/** Where a book's chapters are listed: galley's own `book.yaml`, or an mdBook `SUMMARY.md`. */
export type BookLocation =
  | { kind: 'yaml'; root: string; planFile: string }
  | { kind: 'mdbook'; root: string; planFile: string; tomlFile?: string };

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isFile() ?? false;
}

/**
 * The book a folder holds, if it holds one: a `book.yaml`; else a `SUMMARY.md` in it; else an
 * mdBook layout, `book.toml` with `src/SUMMARY.md` (or the `src` that book.toml names, read later).
 */
export async function findBook(folder: string): Promise<BookLocation | undefined> {
  const yamlFile = path.join(folder, 'book.yaml');
  if (await isFile(yamlFile)) return { kind: 'yaml', root: folder, planFile: yamlFile };
  const summary = path.join(folder, 'SUMMARY.md');
  if (await isFile(summary)) return { kind: 'mdbook', root: folder, planFile: summary };
  const tomlFile = path.join(folder, 'book.toml');
  if (await isFile(tomlFile)) return { kind: 'mdbook', root: folder, planFile: path.join(folder, 'src', 'SUMMARY.md'), tomlFile };
  return undefined;
}
