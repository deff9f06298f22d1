import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CoverFaces } from '../../src/cover/cover-faces.js';
import { type CoverBook, layOutCover } from '../../src/cover/cover-layout.js';
import { paintWith, rasterizer } from '../../src/cover/paint.js';
import { sanitizeSvg } from '../../src/document/svg.js';
import { compileTemplate } from '../../src/render/templates.js';

const book: CoverBook = {
  title: 'Documentary reveals perilous path for North Korean defectors',
  standfirst: 'An award-winning documentary exposes the grim reality facing those who cross the Chinese border.',
  authors: ['Jane Doe'],
  dateText: 'December 17, 2023',
  publisher: 'The Galley Gazette',
  lang: 'en',
  dir: 'ltr',
};

/** The SVG galley's own template makes for `book`, as the cover worker paints it. */
async function coverSvg(shown: CoverBook): Promise<string> {
  const file = path.resolve('templates/cover.svg');
  const render = compileTemplate(file, readFileSync(file, 'utf8'));
  const { layout } = await layOutCover(shown, new CoverFaces());
  return Buffer.from(sanitizeSvg(render(layout)).bytes).toString('utf8');
}

/** The RGBA pixels of one of encodePng's PNGs (one IDAT, no row filters), and its size. */
function pixelsOf(png: Uint8Array): { width: number; height: number; rgba: Buffer } {
  const bytes = Buffer.from(png);
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const idatLength = bytes.readUInt32BE(33);
  const rows = zlib.inflateSync(bytes.subarray(41, 41 + idatLength));
  const rgba = Buffer.concat(Array.from({ length: height }, (_, y) => rows.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1))));
  return { width, height, rgba };
}

describe('painting the cover', () => {
  it("paints with resvg's native build here, and with its WebAssembly build where the binary is missing", () => {
    expect(rasterizer()).toBe('native');
    const noBinary = (name: string) => {
      throw new Error(`Cannot find module '${name}-linux-x64-gnu'`);
    };
    expect(rasterizer(noBinary)).toBe('wasm');
  });

  it('makes the same cover with either build, to the byte', async () => {
    const svg = await coverSvg(book);
    const native = await paintWith('native', svg);
    const wasm = await paintWith('wasm', svg);
    expect(Buffer.from(native).equals(Buffer.from(wasm))).toBe(true);
    const { width, height, rgba } = pixelsOf(native);
    expect([width, height]).toEqual([1600, 2560]);
    // Not a page of one colour: the cover's ink (its text and rules) covers some of it.
    const dark = rgba.filter((_, index) => index % 4 === 0 && rgba[index]! < 128).length / (width * height);
    expect(dark).toBeGreaterThan(0.01);
    expect(dark).toBeLessThan(0.99);
  });
});
