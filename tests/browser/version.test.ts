import type { Browser } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { checkVersion } from '../../src/browser/launch.js';

const saying = (product: string) => ({ version: async () => product }) as unknown as Browser;

describe('checkVersion', () => {
  it('names the browser as it names itself, the headless shell as one', async () => {
    expect(await checkVersion(saying('Chrome/156.0.8078.114'), '/usr/bin/chromium')).toBe('Chrome 156.0.8078.114, /usr/bin/chromium');
    expect(await checkVersion(saying('HeadlessChrome/131.0.6778.85'), '/usr/bin/chromium-headless-shell')).toBe(
      'Chrome 131.0.6778.85 (headless shell), /usr/bin/chromium-headless-shell',
    );
  });

  it('refuses a browser older than Chrome 131, whose print CSS lacks margin boxes, with its version and the way out', async () => {
    await expect(checkVersion(saying('HeadlessChrome/120.0.6099.109'), '/opt/old/chrome-headless-shell')).rejects.toThrow(
      "/opt/old/chrome-headless-shell is HeadlessChrome/120.0.6099.109: galley's print CSS needs Chrome 131 or later (for its margin boxes); name another browser with --browser",
    );
  });
});
