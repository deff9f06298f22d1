import v8 from 'node:v8';

/**
 * How much V8 lets the main thread's heap grow past what its last full collection kept, before the
 * next one. By default it chooses up to 4 times on a machine of this size, and the ArrayBuffers
 * that documents leave behind (their PDF, EPUB and cover bytes, in glibc's heap) wait as long.
 * 60 % is what the cover worker grows by already (its 1 GB limit); README.md, Speed, has the figures.
 */
export const HEAP_GROWING_PERCENT = 60;

let allowed = false;
let bounded = false;

/** Whether node was told how its heap grows, on its command line (NODE_OPTIONS does not take it): that choice stands. */
export function heapGrowthChosen(nodeFlags: readonly string[]): boolean {
  return nodeFlags.some((flag) => /^--heap[-_]growing[-_]percent(=|$)/.test(flag));
}

/**
 * Lets boundHeapGrowth act: the CLI calls it when galley is its own process. V8's flags are the
 * whole process's, and a program that runs galley's CLI inside its own (the tests do) keeps them.
 */
export function allowHeapBound(): void {
  allowed = true;
}

/**
 * Bounds the heap's growth for the rest of the process: build() calls it for a batch, once the
 * cover worker runs its code. Not before: once a V8 flag changes, a new worker thread starts
 * without Node's snapshot (about 55 ms more here), and V8 takes a code cache only under the flags
 * it was made with. A run of one document, such as the one the build makes the caches from, never sets it.
 */
export function boundHeapGrowth(): void {
  if (!allowed || bounded) return;
  bounded = true;
  if (!heapGrowthChosen(process.execArgv)) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
