import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BrowserSession, COLLECT_EVERY, DRAWING, PAGE_USES, type SessionOptions } from '../../src/browser/session.js';
import { findBrowser } from '../../src/browser/find.js';
import { browserProcess } from '../../src/browser/launch.js';
import { RunFolder } from '../../src/browser/run-folder.js';
import { withGuardedPage } from '../../src/browser/guarded-page.js';
import { GalleyError } from '../../src/errors.js';

let tempDir: string;
beforeAll(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'galley-session-test-'));
});
afterAll(() => rm(tempDir, { recursive: true, force: true }));

async function newSession(options: SessionOptions = {}): Promise<BrowserSession> {
  return new BrowserSession({ executablePath: await findBrowser(undefined) }, undefined, { tempDir, ...options });
}

const NEVER = new Promise<never>(() => undefined);
const SIMPLE = { html: '<!DOCTYPE html><p>Some text.</p>', allowedDirs: [] };

describe('BrowserSession', () => {
  it('gives a released page back for the same purpose only', async () => {
    await using session = await newSession();
    const page = await session.newPage('print');
    await session.release(page);
    const listeners = [page.listenerCount('close'), page.listenerCount('error')];
    for (let use = 0; use < 3; use += 1) {
      expect(await session.newPage('print')).toBe(page);
      await session.release(page);
      expect([page.listenerCount('close'), page.listenerCount('error')]).toEqual(listeners);
    }
    expect(await session.newPage('print')).toBe(page);
    const other = await session.newPage('measure');
    expect(other).not.toBe(page);
    expect(session.launches).toBe(1);
  });

  it(`closes a page once it has served ${PAGE_USES} documents, so that a long batch does not grow its renderer's caches`, async () => {
    await using session = await newSession();
    const page = await session.newPage('print');
    for (let use = 1; use < PAGE_USES; use += 1) {
      await session.release(page);
      expect(await session.newPage('print')).toBe(page);
    }
    await session.release(page);
    expect(page.isClosed()).toBe(true);
    const next = await session.newPage('print');
    expect(next).not.toBe(page);
    expect(session.launches).toBe(1);
  });

  it(`collects a page's garbage every ${COLLECT_EVERY} documents, so that its renderer's heap does not grow with a batch`, async () => {
    await using session = await newSession();
    const heapUsed = async (page: Page) => (await page.metrics()).JSHeapUsedSize ?? 0;
    const page = await session.newPage('print');
    // Each document is written through the renderer's JavaScript heap, as galley's are.
    const show = (use: number) => page.setContent(`<!DOCTYPE html><p>${`document ${use} `.repeat(100_000)}</p>`);
    let beforeCollection = 0;
    for (let use = 1; use <= COLLECT_EVERY; use += 1) {
      if (use > 1) expect(await session.newPage('print')).toBe(page);
      await show(use);
      await session.release(page);
      if (use === COLLECT_EVERY - 1) beforeCollection = await heapUsed(page);
    }
    expect(beforeCollection).toBeGreaterThan(3 * 2 ** 20);
    expect(await heapUsed(page)).toBeLessThan(beforeCollection / 2);
  });

  it('uses the tab Chrome opens at launch, set up like any new page', async () => {
    await using session = await newSession();
    const first = await session.newPage('print');
    const browser = first.browser();
    const second = await session.newPage('print');
    expect(await browser.pages()).toEqual([first, second]);
    expect(first.viewport()).toEqual(second.viewport());
    const cover = await session.newPage(DRAWING);
    expect(cover.browserContext()).not.toBe(browser.defaultBrowserContext());
    expect(await browser.pages()).toHaveLength(3);
  });

  it('starts no browser once closed, so work given up cannot leave one running', async () => {
    const session = await newSession();
    await session.release(await session.newPage('print'));
    const browser = (await session.newPage('print')).browser();
    await session.close();
    expect(browser.connected).toBe(false);
    await expect(session.newPage('print')).rejects.toThrow('the browser was closed');
    expect(session.launches).toBe(1);
  });

  it("keeps Chrome's profile, Chrome's temporary files and the pages' files in one folder of the run, removed at close", async () => {
    const parent = await mkdtemp('/tmp/galley-st-');
    try {
      const session = await newSession({ tempDir: parent });
      const { result: args } = await withGuardedPage(
        session,
        'print',
        SIMPLE,
        async (page) => browserProcess(page.browser())?.spawnargs ?? [],
      );
      const [runFolder, ...others] = await readdir(parent);
      expect(others).toEqual([]);
      expect(runFolder).toMatch(/^galley-run-/);
      const run = path.join(parent, runFolder!);
      // Chrome's own temporary folder (org.chromium.Chromium.*): the full browser makes one, the headless shell none.
      const inRun = await readdir(run);
      expect(inRun).toContain('profile-1');
      for (const other of inRun.filter((name) => name !== 'profile-1')) expect(other).toMatch(/^org\.chromium\.Chromium\./);
      expect(args).toContain(`--user-data-dir=${path.join(run, 'profile-1')}`);
      expect(args.find((arg) => arg.startsWith('--disable-features='))).toMatch(
        /WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess/,
      );
      await session.close();
      expect(await readdir(parent)).toEqual([]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('makes its folder in /tmp when Chrome could not start in the one it is given (its socket path would be too long)', async () => {
    const folder = await RunFolder.create(path.join(tempDir, 'a-folder-whose-path-is-long-enough-to-overflow-a-socket-address'));
    try {
      expect(path.dirname(folder.path)).toBe('/tmp');
    } finally {
      await folder.remove();
    }
  });

  it('lets no puppeteer default cut a step short: only the document deadline may', async () => {
    await using session = await newSession();
    const page = await session.newPage('print');
    expect((await page.createCDPSession()).connection()?.timeout).toBe(0);
    // A pooled page gets its limits anew, whatever its last user set.
    page.setDefaultTimeout(1_000);
    await session.release(page);
    expect(await session.newPage('print')).toBe(page);
    expect([page.getDefaultTimeout(), page.getDefaultNavigationTimeout()]).toEqual([0, 0]);
    const began = Date.now();
    await page.waitForNetworkIdle({ idleTime: 1_300 });
    expect(Date.now() - began).toBeGreaterThanOrEqual(1_300);
  });
});

describe('a page that fails', () => {
  it('crashes: its user fails at once with a GalleyError, and the page is closed, never pooled', async () => {
    await using session = await newSession();
    await session.release(await session.newPage('print'));
    let crashed: import('puppeteer-core').Page | undefined;
    const began = Date.now();
    const printing = withGuardedPage(session, 'print', SIMPLE, async (page) => {
      crashed = page;
      const cdp = await page.createCDPSession();
      void cdp.send('Page.crash').catch(() => undefined);
      return NEVER;
    });
    await expect(printing).rejects.toThrow(new GalleyError('the page crashed while printing (out of memory?)'));
    await expect(printing).rejects.toBeInstanceOf(GalleyError);
    expect(Date.now() - began).toBeLessThan(2_000);
    expect(crashed?.isClosed()).toBe(true);
    const next = await withGuardedPage(session, 'print', SIMPLE, (page) => page.pdf());
    expect(Buffer.from(next.result).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('is given up by its document: its step ends, and the page is closed, never pooled', async () => {
    await using session = await newSession();
    const document = new AbortController();
    let givenUp: import('puppeteer-core').Page | undefined;
    const printing = withGuardedPage(session.forDocument(document.signal), 'print', SIMPLE, (page) => {
      givenUp = page;
      setTimeout(() => document.abort(new GalleyError('timed out after 1 s')), 100);
      return NEVER;
    });
    await expect(printing).rejects.toThrow(new GalleyError('timed out after 1 s'));
    await vi.waitFor(() => expect(givenUp?.isClosed()).toBe(true));
    expect(await session.newPage('print')).not.toBe(givenUp);
  });

  it('fails in a step (a puppeteer timeout, say): the page is closed, not left busy in the pool', async () => {
    await using session = await newSession();
    let failed: import('puppeteer-core').Page | undefined;
    const printing = withGuardedPage(session, 'print', SIMPLE, (page) => {
      failed = page;
      return page.waitForSelector('#never', { timeout: 200 });
    });
    await expect(printing).rejects.toThrow(new GalleyError('the browser stopped responding'));
    expect(failed?.isClosed()).toBe(true);
    expect(await session.newPage('print')).not.toBe(failed);
  });
});
