/** How long resvg's native allocator keeps memory freed by one cover for the next, in milliseconds. */
const PURGE_DELAY_MS = '1000';

/**
 * resvg's native build allocates with mimalloc, which gives freed memory back to the system 10 ms
 * after it is freed. A cover's canvas (16 MB) and its pixels were then faulted in afresh for the
 * next cover, about 5,300 page faults a cover against 900 with the memory kept for a second: 100
 * covers, EPUB only, spent 2.0 s in the kernel, against 0.6 s. mimalloc reads the delay from the process's
 * environment when the addon is loaded, so this is set on the main thread before the cover worker
 * starts (a worker's process.env is a copy). A delay the user set is kept.
 */
export function keepFreedCanvases(): void {
  process.env.MIMALLOC_PURGE_DELAY ??= PURGE_DELAY_MS;
}
