import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/** The bundle's stand-ins for pako and jszip's CRC-32 (scripts/bundle.mjs), checked against the originals, which stay installed. */
const require = createRequire(import.meta.url);
type Options = { raw?: boolean; level?: number };
interface Streaming {
  push(data: Uint8Array | number[], final: boolean): boolean;
  onData: (chunk: Uint8Array) => void;
}
interface Pako {
  deflate(data: Uint8Array, options?: Options): Uint8Array;
  inflate(data: Uint8Array, options?: Options): Uint8Array;
  Deflate: new (options?: Options) => Streaming;
  Inflate: new (options?: Options) => Streaming;
}
type Crc32 = (input: Uint8Array | string | undefined, crc?: number) => number;
const nativePako = require('../../src/native-zlib/pako.cjs') as Pako;
const nativeCrc32 = require('../../src/native-zlib/jszip-crc32.cjs') as Crc32;
const pako = require('pako') as Pako;
const jszipCrc32 = require('jszip/lib/crc32.js') as Crc32;

/** Something like what is packed: the article's text. */
const CHAPTER = new Uint8Array(readFileSync('content/beyond-utopia.md'));

function streamed(Stream: Pako['Deflate'], options: Options, chunks: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  const stream = new Stream(options);
  stream.onData = (data) => out.push(data);
  for (const chunk of chunks) stream.push(chunk, false);
  stream.push([], true);
  return out;
}

describe('the native pako', () => {
  it('deflates what pako inflates back, with and without the zlib header', () => {
    expect(pako.inflate(nativePako.deflate(CHAPTER))).toEqual(CHAPTER);
    expect(pako.inflate(nativePako.deflate(CHAPTER, { raw: true, level: -1 }), { raw: true })).toEqual(CHAPTER);
  });

  it('inflates what pako deflates', () => {
    expect(nativePako.inflate(pako.deflate(CHAPTER))).toEqual(CHAPTER);
    expect(nativePako.inflate(pako.deflate(CHAPTER, { raw: true }), { raw: true })).toEqual(CHAPTER);
  });

  it('streams as jszip drives it: chunks in, one result out when the last is pushed', () => {
    const halves = [CHAPTER.subarray(0, 100), CHAPTER.subarray(100)];
    const deflated = streamed(nativePako.Deflate, { raw: true, level: -1 }, halves);
    expect(deflated).toHaveLength(1);
    expect(pako.inflate(deflated[0]!, { raw: true })).toEqual(CHAPTER);
    expect(streamed(nativePako.Inflate, { raw: true }, [deflated[0]!])).toEqual([CHAPTER]);
  });

  it('gives plain Uint8Arrays, as pdf-lib and jszip expect', () => {
    expect(Object.getPrototypeOf(nativePako.deflate(CHAPTER))).toBe(Uint8Array.prototype);
  });
});

describe('the native jszip CRC-32', () => {
  it('gives jszip’s checksum for bytes, for binary strings, for nothing, and carried on from a checksum', () => {
    const text = 'OEBPS/chapter-1.xhtml \u00e9\u00ff\u0101';
    expect(nativeCrc32(CHAPTER)).toBe(jszipCrc32(CHAPTER));
    expect(nativeCrc32(text)).toBe(jszipCrc32(text));
    expect(nativeCrc32(new Uint8Array(0))).toBe(jszipCrc32(new Uint8Array(0)));
    expect(nativeCrc32(undefined)).toBe(jszipCrc32(undefined));
    const first = jszipCrc32(CHAPTER.subarray(0, 100));
    expect(nativeCrc32(CHAPTER.subarray(100), first)).toBe(jszipCrc32(CHAPTER.subarray(100), first));
    expect(nativeCrc32(CHAPTER.subarray(100), first)).toBe(jszipCrc32(CHAPTER));
  });
});
