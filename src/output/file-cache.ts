import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files made once and used again, by key: in memory for the run (watch keeps the last `memoryEntries`),
 * and in a folder for the next run. The folder is only a cache: a file that cannot be read or written
 * is made again, never an error, and a file is written whole (a temporary file, then a rename) or not at all.
 */
export class FileCache {
  readonly #memory = new Map<string, Uint8Array>();

  constructor(
    private readonly dir: string,
    private readonly extension: string,
    private readonly memoryEntries: number,
  ) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    const known = this.#memory.get(key);
    if (known) return known;
    const bytes = await readFile(this.#file(key)).catch(() => undefined);
    if (bytes) this.#remember(key, bytes);
    return bytes;
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.#remember(key, bytes);
    const file = this.#file(key);
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(partial, bytes);
      await rename(partial, file);
    } catch {
      await rm(partial, { force: true });
    }
  }

  #file(key: string): string {
    return path.join(this.dir, `${key}${this.extension}`);
  }

  #remember(key: string, bytes: Uint8Array): void {
    this.#memory.delete(key);
    this.#memory.set(key, bytes);
    if (this.#memory.size > this.memoryEntries) this.#memory.delete(this.#memory.keys().next().value!);
  }
}
