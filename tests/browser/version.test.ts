import type { Browser } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { checkVersion, chromeArgs } from '../../src/browser/launch.js';

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

describe('chromeArgs', () => {
  it("starts Chrome with every flag puppeteer's own launch would give it, and galley's", async () => {
    const puppeteer = (await import('puppeteer-core')).default;
    for (const [executable, headless] of [
      ['/usr/bin/chromium', true],
      ['/usr/bin/chromium-headless-shell', 'shell'],
    ] as const) {
      const ours = chromeArgs(executable, '/tmp/profile');
      const features = (args: string[]) =>
        args
          .find((arg) => arg.startsWith('--disable-features='))!
          .split('=')[1]!
          .split(',');
      const theirs = puppeteer.defaultArgs({ headless, userDataDir: '/tmp/profile' });
      expect(features(ours)).toEqual(expect.arrayContaining(features(theirs)));
      const others = (args: string[]) => args.filter((arg) => !arg.startsWith('--disable-features='));
      expect(others(ours)).toEqual(expect.arrayContaining([...others(theirs), '--remote-debugging-pipe']));
    }
  });
});
