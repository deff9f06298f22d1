import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/browser/find.js';
import { withGuardedPage } from '../../src/browser/guarded-page.js';
import { BrowserSession } from '../../src/browser/session.js';
import { GalleyError } from '../../src/errors.js';

const MEGABYTE = 1024 * 1024;

/** A grey PNG of `width` × `height` pixels: about 1 MB to send, `width × height × 4` bytes once Chrome decodes it. */
function greyPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => (bytes.reduce((c, byte) => crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8), 0xffffffff) ^ 0xffffffff) >>> 0;
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const check = Buffer.alloc(4);
    check.writeUInt32BE(crc(typed));
    return Buffer.concat([length, typed, check]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6], 8);
  const row = Buffer.alloc(1 + width * 4, 0x7f);
  row[0] = 0;
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)), { level: 1 });
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

let tempDir: string;
let bomb: string;
beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'galley-memory-test-'));
  // 256 MB once decoded: the renderer that prints it grows from about 120 MB to about 450 MB.
  bomb = `<!DOCTYPE html><img style="width: 5cm" src="data:image/png;base64,${greyPng(8000, 8000).toString('base64')}">`;
});
afterAll(() => rm(tempDir, { recursive: true, force: true }));

describe('the memory of a page', () => {
  it('is bounded: a page over the limit is stopped at once, with a GalleyError, and the next one prints', async () => {
    await using session = new BrowserSession({ executablePath: await findBrowser(undefined) }, undefined, {
      tempDir,
      memoryLimitBytes: 300 * MEGABYTE,
    });
    const fine = { html: '<!DOCTYPE html><p>Some text.</p>', allowedDirs: [] };
    await withGuardedPage(session, 'print', fine, (page) => page.pdf());

    const began = Date.now();
    const printing = withGuardedPage(session, 'print', { html: bomb, allowedDirs: [] }, (page) => page.pdf());
    await expect(printing).rejects.toThrow(new GalleyError('the page used more than 300 MB of memory and was stopped'));
    await expect(printing).rejects.toBeInstanceOf(GalleyError);
    expect(Date.now() - began).toBeLessThan(5_000);

    const next = await withGuardedPage(session, 'print', fine, (page) => page.pdf());
    expect(Buffer.from(next.result).subarray(0, 5).toString()).toBe('%PDF-');
    expect(session.launches).toBe(1);
  });
});
