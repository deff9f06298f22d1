import type { Resvg } from '@resvg/resvg-wasm';

type RenderedImage = ReturnType<InstanceType<typeof Resvg>['render']>;

/**
 * An image's RGBA pixels, given to `use`, which must not keep them nor call resvg. From the sources
 * they are resvg's own copy (`pixels`); the cover worker's bundle lends them where resvg painted
 * them, in its WebAssembly memory (scripts/resvg-glue.mjs): a cover's 16 MB copy, freed at
 * every cover, had let glibc's allocator keep more and more of them (300 covers: about 60 MB).
 */
export function withPixels<T>(image: RenderedImage, use: (rgba: Uint8Array) => T): T {
  return use(image.pixels);
}
