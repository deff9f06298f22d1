import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';

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

  /** Whether `key` is kept (in memory, or as a file that may yet fail to read), told without waiting. */
  holds(key: string): boolean {
    return this.#memory.has(key) || existsSync(this.#file(key));
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

/** Values kept as JSON files in a FileCache, read back through their schema: a file that does not parse is a miss. */
export class JsonCache<Schema extends v.GenericSchema> {
  readonly #files: FileCache;

  constructor(
    dir: string,
    private readonly schema: Schema,
    memoryEntries: number,
  ) {
    this.#files = new FileCache(dir, '.json', memoryEntries);
  }

  async get(key: string): Promise<v.InferOutput<Schema> | undefined> {
    const bytes = await this.#files.get(key);
    if (bytes === undefined) return undefined;
    const parsed = v.safeParse(this.schema, safeJson(Buffer.from(bytes).toString('utf8')));
    return parsed.success ? parsed.output : undefined;
  }

  holds(key: string): boolean {
    return this.#files.holds(key);
  }

  put(key: string, value: v.InferInput<Schema>): Promise<void> {
    return this.#files.put(key, Buffer.from(JSON.stringify(value)));
  }
}

/** The value of a JSON text, or undefined when it is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
