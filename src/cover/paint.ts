import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg as WasmResvg } from '@resvg/resvg-wasm';
import { keepFreedCanvases } from './native-allocator.js';
import { encodePng } from './png.js';
import { withPixels } from './resvg-pixels.js';
import { collectYoungGarbage } from './young-garbage.js';

type NativeResvg = typeof import('@resvg/resvg-js');

/** Where a cover is painted: resvg's native build, or its WebAssembly build. */
export type Rasterizer = 'native' | 'wasm';

const require = createRequire(import.meta.url);

/** resvg's WebAssembly, compiled once per thread. */
let resvgReady: Promise<void> | undefined;

/** resvg's WebAssembly build, ready to use: it can be set up only once, so every user in a thread waits on this. */
export function resvg(): Promise<void> {
  resvgReady ??= readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')).then((wasm) => initWasm(wasm));
  return resvgReady;
}

/**
 * resvg's native build, when npm installed the binary for this machine (an optional package per
 * platform), or null. It is the same resvg (2.6.2) as the WebAssembly build and paints the same
 * pixels, to the byte, with nothing to compile: in a new thread it was ready and had painted the
 * article's cover in about 55 ms, against 180–240 ms (tests/cover/paint.test.ts compares them).
 */
function loadNative(load: (name: string) => unknown): NativeResvg | null {
  keepFreedCanvases();
  try {
    return load('@resvg/resvg-js') as NativeResvg;
  } catch {
    return null;
  }
}

let native: NativeResvg | null | undefined;

function loadedNative(): NativeResvg | null {
  native ??= loadNative(require);
  return native;
}

/** The rasterizer this thread paints with; `load` stands for require, for a test of a machine without the native binary. */
export function rasterizer(load?: (name: string) => unknown): Rasterizer {
  return (load ? loadNative(load) : loadedNative()) ? 'native' : 'wasm';
}

/**
 * Gets resvg ready. The WebAssembly build also paints these paths at a sixteenth of a cover's area:
 * V8 first runs WebAssembly as quickly compiled code, and optimizes the functions it finds hot.
 * Warmed up, it painted its first cover in 43 ms, against 222 ms. The native build has nothing to warm.
 */
export async function warmUp(paths: string[]): Promise<void> {
  if (rasterizer() === 'native') return;
  const shapes = paths.map((d) => `<path d="${d}"/>`).join('');
  await paintWithWasm(
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="640" viewBox="0 0 1600 2560"><rect width="1600" height="2560" fill="#fff"/>${shapes}</svg>`,
  );
}

/** An SVG painted as a PNG, by resvg on this thread, and compressed by zlib on this thread too. */
export function paintInThisThread(svg: string): Promise<Uint8Array> {
  return paintWith(rasterizer(), svg);
}

/** An SVG painted as a PNG by the given build of resvg. */
export async function paintWith(by: Rasterizer, svg: string): Promise<Uint8Array> {
  if (by === 'wasm') return paintWithWasm(svg);
  const resvgNative = loadedNative();
  if (!resvgNative) throw new Error("resvg's native build is not installed for this machine");
  const png = paintWithNative(resvgNative, svg);
  collectYoungGarbage();
  return png;
}

/** The native build draws no text (the cover's words are paths already) and loads no font from the machine. */
function paintWithNative(resvgNative: NativeResvg, svg: string): Uint8Array {
  const image = new resvgNative.Resvg(svg, { font: { loadSystemFonts: false } }).render();
  return encodePng(image.pixels, image.width, image.height);
}

/** The WebAssembly build's memory is freed as soon as the PNG is made. */
async function paintWithWasm(svg: string): Promise<Uint8Array> {
  await resvg();
  const drawing = new WasmResvg(svg, { font: { fontBuffers: [] } });
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
