import { access, constants, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { GalleyError } from '../errors.js';

export const NO_BROWSER_MESSAGE =
  'no Chrome or Chromium found: install one (on Debian: apt-get install chromium), or name one with --browser PATH or PUPPETEER_EXECUTABLE_PATH';

const SYSTEM_BROWSERS: Record<string, string[]> = {
  // The headless shell first: it starts in a quarter of the time and prints the same PDFs.
  linux: ['chromium-headless-shell', 'chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'],
  darwin: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
};

/**
 * Finds a browser, in this order: `--browser PATH`, PUPPETEER_EXECUTABLE_PATH, a browser that
 * puppeteer installed in its cache, then the system's Chromium or Chrome; in the cache and on the
 * system, Chrome's headless shell before the full browser. Never downloads one.
 */
export async function findBrowser(explicitPath: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (explicitPath) return requireExecutable(explicitPath, '--browser');
  if (env.PUPPETEER_EXECUTABLE_PATH) return requireExecutable(env.PUPPETEER_EXECUTABLE_PATH, 'PUPPETEER_EXECUTABLE_PATH');
  const found = (await fromPuppeteerCache(env)) ?? (await fromSystem(env));
  if (!found) throw new GalleyError(NO_BROWSER_MESSAGE);
  return found;
}

async function requireExecutable(file: string, origin: string): Promise<string> {
  if (await isExecutable(file)) return file;
  throw new GalleyError(`${origin} ${file}: no browser there (not an executable file)`);
}

/** The browsers taken from puppeteer's cache, best first. */
const CACHED_BROWSERS = ['chrome-headless-shell', 'chrome', 'chromium'];

async function fromPuppeteerCache(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cacheDir = env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer');
  if (!(await holdsAnInstall(cacheDir))) return undefined;
  // Its CommonJS build, required: galley's code runs from a code cache (src/code-cache.ts), where
  // import() fails.
  const { getInstalledBrowsers } = createRequire(import.meta.url)('@puppeteer/browsers') as typeof import('@puppeteer/browsers');
  const installed = await getInstalledBrowsers({ cacheDir }).catch(() => []);
  const ranked = installed
    .filter((browser) => CACHED_BROWSERS.includes(browser.browser))
    .sort(
      (a, b) =>
        CACHED_BROWSERS.indexOf(a.browser) - CACHED_BROWSERS.indexOf(b.browser) ||
        b.buildId.localeCompare(a.buildId, 'en', { numeric: true }),
    );
  for (const browser of ranked) {
    if (await isExecutable(browser.executablePath)) return browser.executablePath;
  }
  return undefined;
}

async function fromSystem(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const candidates = SYSTEM_BROWSERS[process.platform] ?? SYSTEM_BROWSERS.linux!;
  const searchPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const candidate of candidates) {
    const files = path.isAbsolute(candidate) ? [candidate] : searchPath.map((dir) => path.join(dir, candidate));
    for (const file of files) if (await isExecutable(file)) return file;
  }
  return undefined;
}

/**
 * Whether puppeteer's cache holds a folder for a build of one of its browsers (`chrome/linux-131…`),
 * read before puppeteer's library is loaded: loading it took 45 ms, before Chrome's launch, on a
 * machine whose cache held only the empty folders of a download that failed.
 */
export async function holdsAnInstall(cacheDir: string): Promise<boolean> {
  const builds = await Promise.all(CACHED_BROWSERS.map((browser) => readdir(path.join(cacheDir, browser)).catch(() => [])));
  return builds.some((entries) => entries.length > 0);
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}
