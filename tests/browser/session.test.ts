import { describe, expect, it } from 'vitest';
import { BrowserSession, PHOTOGRAPHED } from '../../src/browser/session.js';
import { findBrowser } from '../../src/browser/find.js';

async function newSession(): Promise<BrowserSession> {
  return new BrowserSession({ executablePath: await findBrowser(undefined) });
}

describe('BrowserSession', () => {
  it('gives a released page back for the same purpose only', async () => {
    await using session = await newSession();
    const page = await session.newPage('print');
    await session.release(page);
    expect(await session.newPage('print')).toBe(page);
    const other = await session.newPage('measure');
    expect(other).not.toBe(page);
    expect(session.launches).toBe(1);
  });

  it('uses the tab Chrome opens at launch, set up like any new page', async () => {
    await using session = await newSession();
    const first = await session.newPage('print');
    const browser = first.browser();
    const second = await session.newPage('print');
    expect(await browser.pages()).toEqual([first, second]);
    expect(first.viewport()).toEqual(second.viewport());
    const cover = await session.newPage(PHOTOGRAPHED);
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
});
