import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script, in JavaScript.
import { resvgGlueForWorker } from '../../scripts/resvg-glue.mjs';

type RenderedImage = { pixels: Uint8Array; width: number; height: number; free(): void };
type Glue = {
  initWasm(wasm: Uint8Array): Promise<void>;
  Resvg: new (svg: string, options?: object) => { render(): RenderedImage; free(): void };
  withPixels<T>(image: RenderedImage, use: (rgba: Uint8Array) => T): T;
};

const WASM = createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');
const GLUE = path.join(path.dirname(WASM), 'index.mjs');
const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-resvg-'));
  made.push(dir);
  return dir;
}
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="64"><rect width="40" height="64" fill="#fff"/><circle cx="20" cy="30" r="12" fill="#a33"/></svg>';

/** The glue the cover worker's bundle carries (scripts/bundle.mjs), loaded as a module of its own and set up. */
async function lendingGlue(): Promise<Glue> {
  const file = path.join(await tempDir(), 'index.mjs');
  await writeFile(file, await resvgGlueForWorker(GLUE));
  const glue = (await import(pathToFileURL(file).href)) as Glue;
  await glue.initWasm(readFileSync(WASM));
  return glue;
}

describe("resvg's glue in the cover worker's bundle", () => {
  it('lends the painted pixels where resvg holds them, and they are the pixels resvg copies out', async () => {
    const glue = await lendingGlue();
    const drawing = new glue.Resvg(SVG);
    const image = drawing.render();
    const copied = image.pixels;
    const lent = glue.withPixels(image, (rgba) => ({ bytes: Buffer.from(rgba), inPlace: rgba.buffer.byteLength > rgba.byteLength }));
    expect(copied.buffer.byteLength).toBe(40 * 64 * 4);
    expect(lent.inPlace).toBe(true);
    expect(lent.bytes.equals(Buffer.from(copied))).toBe(true);
    // Outside withPixels, pixels are a copy again.
    expect(image.pixels.buffer.byteLength).toBe(40 * 64 * 4);
    image.free();
    drawing.free();
  });

  it("is set up without a look at fetch's Request or Response, whose first use loads Node's fetch", async () => {
    const looked: string[] = [];
    const originals = (['Request', 'Response'] as const).map((name) => [name, Object.getOwnPropertyDescriptor(globalThis, name)!] as const);
    for (const [name, original] of originals)
      Object.defineProperty(globalThis, name, {
        configurable: true,
        get: () => {
          looked.push(name);
          return original.get ? original.get.call(globalThis) : original.value;
        },
      });
    try {
      const glue = await lendingGlue();
      new glue.Resvg(SVG).render().free();
    } finally {
      for (const [name, original] of originals) Object.defineProperty(globalThis, name, original);
    }
    expect(looked).toEqual([]);
  });

  it('refuses a glue in which it cannot find the copy', async () => {
    const file = path.join(await tempDir(), 'index.js');
    await writeFile(file, 'module.exports = {};\n');
    await expect(resvgGlueForWorker(file)).rejects.toThrow('expected one copy of the pixels');
  });
});
