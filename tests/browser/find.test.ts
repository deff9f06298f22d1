import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBrowser, holdsAnInstall, NO_BROWSER_MESSAGE } from '../../src/browser/find.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-browsers-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function fakeExecutable(relative: string): Promise<string> {
  const file = path.join(dir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '#!/bin/sh\n');
  await chmod(file, 0o755);
  return file;
}

/** A machine with a browser in every place galley looks. */
async function everyPlace() {
  return {
    explicit: await fakeExecutable('explicit/chrome'),
    fromEnv: await fakeExecutable('env/chrome'),
    cached: await fakeExecutable('cache/chrome/linux-131.0.6778.85/chrome-linux64/chrome'),
    system: await fakeExecutable('bin/chromium'),
  };
}

describe.runIf(process.platform === 'linux')('findBrowser', () => {
  it("looks at --browser, PUPPETEER_EXECUTABLE_PATH, puppeteer's cache, then the system, in that order", async () => {
    const found = await everyPlace();
    const env = { PUPPETEER_EXECUTABLE_PATH: found.fromEnv, PUPPETEER_CACHE_DIR: path.join(dir, 'cache'), PATH: path.join(dir, 'bin') };
    expect(await findBrowser(found.explicit, env)).toBe(found.explicit);
    expect(await findBrowser(undefined, env)).toBe(found.fromEnv);
    expect(await findBrowser(undefined, { ...env, PUPPETEER_EXECUTABLE_PATH: undefined })).toBe(found.cached);
    expect(await findBrowser(undefined, { PUPPETEER_CACHE_DIR: path.join(dir, 'nothing'), PATH: env.PATH })).toBe(found.system);
  });

  it("prefers Chrome's headless shell to the full browser, on the system and in puppeteer's cache", async () => {
    const full = await fakeExecutable('bin/chromium');
    const shell = await fakeExecutable('bin/chromium-headless-shell');
    expect(await findBrowser(undefined, { PUPPETEER_CACHE_DIR: path.join(dir, 'nothing'), PATH: path.dirname(full) })).toBe(shell);
    await fakeExecutable('cache/chrome/linux-131.0.6778.85/chrome-linux64/chrome');
    const cachedShell = await fakeExecutable(
      'cache/chrome-headless-shell/linux-131.0.6778.85/chrome-headless-shell-linux64/chrome-headless-shell',
    );
    expect(await findBrowser(undefined, { PUPPETEER_CACHE_DIR: path.join(dir, 'cache'), PATH: path.dirname(full) })).toBe(cachedShell);
  });

  it("looks past puppeteer's cache when it holds no build, only the folders of a download that failed", async () => {
    const system = await fakeExecutable('bin/chromium');
    await mkdir(path.join(dir, 'cache', 'chrome'), { recursive: true });
    await mkdir(path.join(dir, 'cache', 'chrome-headless-shell'), { recursive: true });
    // Told from the folders alone, before puppeteer's library is loaded.
    expect(await holdsAnInstall(path.join(dir, 'cache'))).toBe(false);
    expect(await findBrowser(undefined, { PUPPETEER_CACHE_DIR: path.join(dir, 'cache'), PATH: path.dirname(system) })).toBe(system);
    await fakeExecutable('cache/chrome/linux-131.0.6778.85/chrome-linux64/chrome');
    expect(await holdsAnInstall(path.join(dir, 'cache'))).toBe(true);
    expect(await findBrowser(undefined, { PUPPETEER_CACHE_DIR: path.join(dir, 'cache'), PATH: path.dirname(system) })).toBe(
      path.join(dir, 'cache/chrome/linux-131.0.6778.85/chrome-linux64/chrome'),
    );
  });

  it('says how to install a browser when there is none', async () => {
    await expect(findBrowser(undefined, { PUPPETEER_CACHE_DIR: path.join(dir, 'none'), PATH: path.join(dir, 'empty') })).rejects.toThrow(
      NO_BROWSER_MESSAGE,
    );
    expect(NO_BROWSER_MESSAGE).toMatch(/apt-get install chromium/);
  });

  it('refuses a named browser that is not there rather than looking elsewhere', async () => {
    const found = await everyPlace();
    const missing = path.join(dir, 'missing/chrome');
    await expect(findBrowser(missing, { PATH: path.join(dir, 'bin') })).rejects.toThrow(`--browser ${missing}: no browser there`);
    await expect(findBrowser(undefined, { PUPPETEER_EXECUTABLE_PATH: missing, PATH: path.dirname(found.system) })).rejects.toThrow(
      `PUPPETEER_EXECUTABLE_PATH ${missing}: no browser there`,
    );
  });
});
