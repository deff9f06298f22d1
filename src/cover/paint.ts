import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { encodePng } from './png.js';
import { withPixels } from './resvg-pixels.js';

/** resvg's WebAssembly, compiled once per thread. */
let resvgReady: Promise<void> | undefined;

/** resvg, ready to use: its WebAssembly can be set up only once, so every user in a thread waits on this. */
export function resvg(): Promise<void> {
  resvgReady ??= readFile(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')).then((wasm) => initWasm(wasm));
  return resvgReady;
}

/**
 * Compiles resvg, and paints these paths at a sixteenth of a cover's area: V8 first runs WebAssembly
 * as quickly compiled code, and optimizes the functions it finds hot. Warmed up, the first cover
 * took 43 ms to paint, against 222 ms.
 */
export async function warmUp(paths: string[]): Promise<void> {
  await resvg();
  const shapes = paths.map((d) => `<path d="${d}"/>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="640" viewBox="0 0 1600 2560"><rect width="1600" height="2560" fill="#fff"/>${shapes}</svg>`;
  const drawing = new Resvg(svg, { font: { fontBuffers: [] } });
  try {
    drawing.render().free();
  } finally {
    drawing.free();
  }
}

/**
 * An SVG painted as a PNG: resvg (its WebAssembly build) draws it, and zlib compresses it on
 * this thread. resvg's memory is freed as soon as the PNG is made: the native build kept each
 * 16 MB picture until the garbage collector ran, and 10 covers then held 500 MB.
 */
export async function paintInThisThread(svg: string): Promise<Uint8Array> {
  await resvg();
  const drawing = new Resvg(svg, { font: { fontBuffers: [] } });
  try {
    const image = drawing.render();
    try {
      return withPixels(image, (rgba) => encodePng(rgba, image.width, image.height));
    } finally {
      image.free();
    }
  } finally {
    drawing.free();
  }
}
