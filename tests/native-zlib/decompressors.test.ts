import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** The bundle's stand-ins (scripts/bundle.mjs), checked against the packages they replace, which stay installed for fontkit. */
const require = createRequire(import.meta.url);
type Inflate = (source: Uint8Array, dest: Uint8Array) => Uint8Array;
type Decompress = (buffer: Uint8Array, outSize?: number) => Uint8Array;
const nativeInflate = require('../../src/native-zlib/tiny-inflate.cjs') as Inflate;
const nativeBrotli = require('../../src/native-zlib/brotli-decompress.cjs') as Decompress;
const tinyInflate = require('tiny-inflate') as Inflate;
const jsBrotli = require('brotli/decompress.js') as Decompress;

/** linebreak's line-breaking classes, as it ships them: a 12-byte header, then data deflated twice. */
function lineBreakTrie(): { data: Uint8Array; length: number } {
  const source = readFileSync(require.resolve('linebreak'), 'utf8');
  const base64 = /toByteArray\("([^"]+)"\)/.exec(source)?.[1];
  if (!base64) throw new Error('linebreak no longer ships its trie as base64');
  const bytes = Buffer.from(base64, 'base64');
  return { data: bytes.subarray(12), length: bytes.readUInt32LE(8) };
}

describe('the native tiny-inflate', () => {
  it('inflates linebreak’s tables as tiny-inflate does, into the array it is given', () => {
    const { data, length } = lineBreakTrie();
    const expected = tinyInflate(tinyInflate(data, new Uint8Array(length)), new Uint8Array(length));
    const whole = new Uint8Array(length);
    const got = nativeInflate(nativeInflate(data, new Uint8Array(length)), whole);
    expect(Buffer.from(got).equals(Buffer.from(expected))).toBe(true);
    // unicode-trie reads the result as 32-bit words: filled, it is the very array it passed.
    expect(got).toBe(whole);
  });

  it('returns the part filled when the output is shorter than the array, like tiny-inflate', () => {
    const text = Buffer.from('a WOFF table, '.repeat(50));
    const deflated = zlib.deflateRawSync(text);
    const got = nativeInflate(deflated, new Uint8Array(text.length + 100));
    expect(got.length).toBe(text.length);
    expect(Buffer.from(got).equals(Buffer.from(tinyInflate(deflated, new Uint8Array(text.length + 100))))).toBe(true);
  });

  it('refuses corrupt data, as tiny-inflate does', () => {
    expect(() => nativeInflate(Buffer.from([0xff, 0xff, 0xff]), new Uint8Array(10))).toThrow();
  });
});

describe('the native brotli decompressor', () => {
  it('gives the bytes the JavaScript decoder gives, for a font the cover sets', () => {
    const font = readFileSync(require.resolve('@fontsource/source-serif-4/files/source-serif-4-latin-600-normal.woff2'));
    const compressed = zlib.brotliCompressSync(font);
    const got = nativeBrotli(compressed, font.length);
    expect(got).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(got).equals(Buffer.from(jsBrotli(compressed, font.length)))).toBe(true);
  });

  it('refuses data that is not brotli', () => {
    expect(() => nativeBrotli(Buffer.from('not brotli at all'), 100)).toThrow();
  });
});
