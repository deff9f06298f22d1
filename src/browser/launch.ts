import type { Browser, BrowserContext, ConnectOptions, LaunchOptions, Page } from 'puppeteer-core';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import type { RunFolder } from './run-folder.js';

const CHROME_ARGS = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--disable-gpu',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  // Each window's omnibox pop-ups (WebUI pages that headless never shows) and a spare renderer
  // process cost about 60 MB each.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess',
];

const CLOSE_GRACE_MS = 2_000;

/**
 * puppeteer's protocol timeout (180 s by default) would cut short a step that galley's own
 * --timeout still allows. Off: each document's deadline closes its pages, which ends their steps.
 */
const NO_PROTOCOL_TIMEOUT = 0;

/** How a browser is launched: over a pipe, so that Chrome ends when galley does, however it ends. */
export function launchOptions(executablePath: string, folder: RunFolder, launch: number): LaunchOptions {
  // A new array: puppeteer takes the --disable-features flag out of the one it is given.
  const args = [...CHROME_ARGS, `--user-data-dir=${folder.profile(launch)}`];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return {
    executablePath,
    headless: isHeadlessShell(executablePath) ? 'shell' : true,
    pipe: true,
    args,
    env: { ...process.env, TMPDIR: folder.tmp },
    protocolTimeout: NO_PROTOCOL_TIMEOUT,
    // galley closes the browser itself on Ctrl-C, after stopping its work (see build()).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}

/** Chrome's headless shell (its old headless mode, built for automation): Debian's chromium-headless-shell, or puppeteer's chrome-headless-shell. */
export function isHeadlessShell(executablePath: string): boolean {
  return /headless[-_]shell/.test(path.basename(executablePath));
}

/** Margin boxes (`@page { @bottom-center … }`), which galley's print CSS sets its running heads and folios in, came with Chrome 131. */
export const OLDEST_CHROME = 131;

/**
 * Names the browser as it names itself, and refuses one too old for galley's print CSS (`where`:
 * its path or address, for the message).
 */
export async function checkVersion(browser: Browser, where: string): Promise<string> {
  const product = await browser.version();
  const [, name = product, version = '', major = '0'] = /^(\w+?)\/((\d+)[\d.]*)$/.exec(product) ?? [];
  if (Number(major) < OLDEST_CHROME) {
    throw new GalleyError(
      `${where} is ${product}: galley's print CSS needs Chrome ${OLDEST_CHROME} or later (for its margin boxes); name another browser with --browser`,
    );
  }
  // The headless shell says HeadlessChrome; Chrome's own headless mode says Chrome.
  const shell = name.startsWith('Headless') ? ' (headless shell)' : '';
  return `${name.replace(/^Headless/, '')} ${version}${shell}, ${where}`;
}

export function connectOptions(wsEndpoint: string): ConnectOptions {
  return { browserWSEndpoint: wsEndpoint, protocolTimeout: NO_PROTOCOL_TIMEOUT };
}

/** Launches Chrome and puts its processes in the run folder's care. */
export async function launchBrowser(executablePath: string, folder: RunFolder, launch: number): Promise<Browser> {
  const puppeteer = await import('puppeteer-core');
  const browser = await puppeteer.launch(launchOptions(executablePath, folder, launch));
  const child = browser.process();
  if (child?.pid !== undefined) folder.adopt(child.pid);
  // A killed Chrome resets its pipes (socket pairs), and puppeteer stops listening to them once it
  // has closed the connection: an error there must not be an uncaught one.
  for (const stream of child?.stdio ?? []) stream?.on('error', () => undefined);
  return browser;
}

export async function connectBrowser(wsEndpoint: string): Promise<Browser> {
  const puppeteer = await import('puppeteer-core');
  return puppeteer.connect(connectOptions(wsEndpoint));
}

/**
 * Ends a launched browser at once. Nothing in it is worth a graceful shutdown (its profile is
 * temporary, and a stuck page could hold one up): its process group is killed.
 */
export async function killBrowser(browser: Browser): Promise<void> {
  const child = browser.process();
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
  const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
  await Promise.race([browser.close().catch(() => undefined), grace]);
}

/** Leaves a remote browser, which is someone else's, as it was found: closes what galley opened in it, and disconnects. */
export async function leaveBrowser(browser: Browser, pages: Page[], contexts: Promise<BrowserContext>[]): Promise<void> {
  await withinGrace(Promise.all(pages.map((page) => page.close().catch(() => undefined))));
  await withinGrace(Promise.all(contexts.map((context) => context.then((opened) => opened.close()))));
  await browser.disconnect();
}

/** Waits for `work`, but no longer than the grace a closing page or browser gets; true if it finished. */
export function withinGrace(work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS).unref()));
  const done = work.then(
    () => true,
    () => true,
  );
  return Promise.race([done, grace]).finally(() => clearTimeout(timer));
}
