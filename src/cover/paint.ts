import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { encodePng } from './png.js';

/** resvg's WebAssembly, compiled once per thread. */
let resvgReady: Promise<void> | undefined;

function resvg(): Promise<void> {
  resvgReady ??= readFile(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')).then((wasm) => initWasm(wasm));
  return resvgReady;
}

/** Compiles resvg before the first cover needs it. */
export function warmUp(): Promise<void> {
  return resvg();
}

/**
 * An SVG painted as a PNG: resvg (its WebAssembly build) draws it, and zlib compresses it in
 * Node's thread pool. resvg's memory is freed as soon as the pixels are copied out: the native
 * build kept each 16 MB picture until the garbage collector ran, and 10 covers then held 500 MB.
 */
export async function paintInThisThread(svg: string): Promise<Uint8Array> {
  await resvg();
  const drawing = new Resvg(svg, { font: { fontBuffers: [] } });
  let pixels: { data: Uint8Array; width: number; height: number };
  try {
    const image = drawing.render();
    pixels = { data: image.pixels, width: image.width, height: image.height };
    image.free();
  } finally {
    drawing.free();
  }
  return encodePng(pixels.data, pixels.width, pixels.height);
}
