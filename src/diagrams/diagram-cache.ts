import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import { MERMAID_CONFIG, MERMAID_VERSION } from './mermaid-page.js';

const CachedDiagramSchema = v.object({
  svg: v.pipe(v.string(), v.startsWith('<svg')),
  title: v.optional(v.string()),
  description: v.optional(v.string()),
  kind: v.optional(v.string()),
});

/** A diagram as mermaid drew it, before sanitizing (which is done on every use). */
export type CachedDiagram = v.InferOutput<typeof CachedDiagramSchema>;

/** How many drawn diagrams a long run keeps in memory; the folder keeps them all. */
const MEMORY_ENTRIES = 256;

/** The key of a diagram's drawing: its source, the mermaid that draws it, and how galley asks. */
export function diagramKey(source: string): string {
  return createHash('sha256')
    .update(JSON.stringify([MERMAID_VERSION, MERMAID_CONFIG, source]))
    .digest('hex');
}

/**
 * Drawn diagrams by key, in memory for the run (watch) and in a folder for the next run, so that
 * an edit of the text does not draw its diagrams again. The folder is only a cache: a file that
 * cannot be read or written is drawn again, never an error, and a file is written whole or not at all.
 */
export class DiagramCache {
  readonly #memory = new Map<string, CachedDiagram>();

  constructor(private readonly dir: string) {}

  async get(key: string): Promise<CachedDiagram | undefined> {
    const known = this.#memory.get(key);
    if (known) return known;
    const text = await readFile(this.#file(key), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const parsed = v.safeParse(CachedDiagramSchema, safeJson(text));
    if (parsed.success) this.#remember(key, parsed.output);
    return parsed.success ? parsed.output : undefined;
  }

  async put(key: string, diagram: CachedDiagram): Promise<void> {
    this.#remember(key, diagram);
    const file = this.#file(key);
    const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(partial, JSON.stringify(diagram));
      await rename(partial, file);
    } catch {
      await rm(partial, { force: true });
    }
  }

  #file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  #remember(key: string, diagram: CachedDiagram): void {
    this.#memory.delete(key);
    this.#memory.set(key, diagram);
    if (this.#memory.size > MEMORY_ENTRIES) this.#memory.delete(this.#memory.keys().next().value!);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
