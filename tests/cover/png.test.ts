import zlib from 'node:zlib';
import { Resvg } from '@resvg/resvg-wasm';
import { describe, expect, it } from 'vitest';
import { resvg } from '../../src/cover/paint.js';
import { encodePng } from '../../src/cover/png.js';

/** The chunks of a PNG file, each with whether its CRC is right. */
function chunks(png: Buffer): { type: string; data: Buffer; crcRight: boolean }[] {
  const found = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    found.push({
      type: typeAndData.subarray(0, 4).toString('latin1'),
      data: typeAndData.subarray(4),
      crcRight: png.readUInt32BE(at + 8 + length) === zlib.crc32(typeAndData),
    });
    at += 12 + length;
  }
  return found;
}

describe('encodePng', () => {
  it('writes RGBA pixels that another decoder reads back exactly', async () => {
    const [width, height] = [37, 23];
    const pixels = new Uint8Array(width * height * 4);
    for (let index = 0; index < pixels.length; index += 4)
      pixels.set([(index * 7) % 256, (index * 13) % 256, (index * 3) % 256, 255], index);
    const png = Buffer.from(encodePng(pixels, width, height));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const found = chunks(png);
    expect(found.map((chunk) => [chunk.type, chunk.crcRight])).toEqual([
      ['IHDR', true],
      ['IDAT', true],
      ['IEND', true],
    ]);
    expect([found[0]!.data.readUInt32BE(0), found[0]!.data.readUInt32BE(4), found[0]!.data[8], found[0]!.data[9]]).toEqual([
      width,
      height,
      8,
      6,
    ]);
    // resvg decodes it, as an image of an SVG drawn at its own size.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
    await resvg();
    const decoded = new Resvg(svg, { font: { fontBuffers: [] } }).render().pixels;
    expect(new Uint8Array(decoded)).toEqual(pixels);
  });

  it('refuses pixels that are not width × height RGBA', async () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(/10 bytes are not 2 × 2 RGBA pixels/);
  });
});
