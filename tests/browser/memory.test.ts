import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/browser/find.js';
import { withGuardedPage } from '../../src/browser/guarded-page.js';
import { BrowserSession } from '../../src/browser/session.js';
import { GalleyError } from '../../src/errors.js';
import { greyPng } from '../helpers/fixtures.js';

const MEGABYTE = 1024 * 1024;

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
