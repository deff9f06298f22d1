import type { Resvg } from '@resvg/resvg-wasm';

type RenderedImage = ReturnType<InstanceType<typeof Resvg>['render']>;

/**
 * An image's RGBA pixels, given to `use`, which must not keep them nor call resvg. From the sources
 * they are resvg's own copy (`pixels`); the cover worker's bundle lends them where resvg painted
 * them, in its WebAssembly memory (scripts/resvg-glue.mjs): a 16 MB copy, made and freed at every
 * cover, let glibc's allocator keep more and more (100 articles, EPUB only: Node's peak 387 MB with
 * the copy, 343 MB without).
 */
export function withPixels<T>(image: RenderedImage, use: (rgba: Uint8Array) => T): T {
  return use(image.pixels);
}
