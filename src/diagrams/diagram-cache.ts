import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { JsonCache } from '../output/file-cache.js';
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
 * an edit of the text does not draw its diagrams again. A cached file that does not parse is drawn again.
 */
export class DiagramCache extends JsonCache<typeof CachedDiagramSchema> {
  constructor(dir: string) {
    super(dir, CachedDiagramSchema, MEMORY_ENTRIES);
  }
}
