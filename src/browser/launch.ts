import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Browser, BrowserContext, ConnectOptions, Page } from 'puppeteer-core';
import { GalleyError } from '../errors.js';
import type { RunFolder } from './run-folder.js';

/** galley's own flags, after puppeteer's. */
const GALLEY_ARGS = [
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
];
// Each window's omnibox pop-ups (WebUI pages that headless never shows) and a spare renderer
// process cost about 60 MB each.
const GALLEY_DISABLED_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'SpareRendererForSitePerProcess'];

/**
 * The flags puppeteer-core 24.43 launches Chrome with (ChromeLauncher.defaultArgs), among them the
 * two that make a tagged PDF with an outline. galley starts Chrome itself, so that Chrome starts
 * up while puppeteer loads; a test holds these to puppeteer's own.
 */
export const PUPPETEER_ARGS = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
];
const PUPPETEER_DISABLED_FEATURES = [
  'Translate',
  'AcceptCHFrame',
  'MediaRouter',
  'OptimizationHints',
  'WebUIReloadButton',
  'ProcessPerSiteUpToMainFrameThreshold',
  'IsolateSandboxedIframes',
];

const CLOSE_GRACE_MS = 2_000;

/**
 * puppeteer's protocol timeout (180 s by default) would cut short a step that galley's own
 * --timeout still allows. Off: each document's deadline closes its pages, which ends their steps.
 */
const NO_PROTOCOL_TIMEOUT = 0;

/** Every flag Chrome is started with: puppeteer's, then galley's, the profile in the run folder, DevTools over a pipe. */
export function chromeArgs(executablePath: string, userDataDir: string): string[] {
  return [
    ...PUPPETEER_ARGS,
    `--disable-features=${[...PUPPETEER_DISABLED_FEATURES, ...GALLEY_DISABLED_FEATURES].join(',')}`,
    '--enable-features=PdfOopif',
    // The headless shell has only the old headless mode, which puppeteer asks for as 'shell'.
    isHeadlessShell(executablePath) ? '--headless' : '--headless=new',
    '--hide-scrollbars',
    '--mute-audio',
    'about:blank',
    ...GALLEY_ARGS,
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    '--remote-debugging-pipe',
    `--user-data-dir=${userDataDir}`,
  ];
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

/** The Chrome process of each browser galley started (puppeteer knows only the connection). */
const processes = new WeakMap<Browser, ChildProcess>();

/** The Chrome process of a browser galley started; undefined for one it connected to. */
export function browserProcess(browser: Browser): ChildProcess | undefined {
  return processes.get(browser);
}

/**
 * Starts Chrome in its own process group, talking DevTools over a pipe (so that it ends when galley
 * does, however galley ends), puts it in the run folder's care, and connects puppeteer to it.
 * puppeteer is loaded while Chrome starts up, rather than before.
 */
export async function launchBrowser(executablePath: string, folder: RunFolder, launch: number, spawned = () => {}): Promise<Browser> {
  const child = spawn(executablePath, chromeArgs(executablePath, folder.profile(launch)), {
    detached: process.platform !== 'win32',
    env: { ...process.env, TMPDIR: folder.tmp },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  // A killed Chrome resets its pipes (socket pairs), and puppeteer stops listening to them once it
  // has closed the connection: an error there must not be an uncaught one.
  for (const stream of child.stdio) stream?.on('error', () => undefined);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const ended = new Promise<never>((_, reject) => {
    const fail = (error?: Error) =>
      reject(error ?? new Error(`Chrome exited before it could be used: ${stderr.trim().split('\n').at(-1) ?? ''}`));
    child.once('error', fail);
    child.once('exit', () => fail());
  });
  ended.catch(() => undefined);
  if (child.pid !== undefined) folder.adopt(child.pid);
  spawned();
  try {
    const [puppeteer, { PipeTransport }] = await Promise.race([
      Promise.all([puppeteerConnect(), import('puppeteer-core/internal/node/PipeTransport.js')]),
      ended,
    ]);
    const transport = new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable);
    const browser = await Promise.race([puppeteer.connect({ transport, protocolTimeout: NO_PROTOCOL_TIMEOUT }), ended]);
    processes.set(browser, child);
    return browser;
  } catch (error) {
    killProcessGroup(child);
    throw error;
  }
}

export async function connectBrowser(wsEndpoint: string): Promise<Browser> {
  const puppeteer = await puppeteerConnect();
  return puppeteer.connect(connectOptions(wsEndpoint));
}

/**
 * puppeteer without its launchers: galley starts Chrome itself and only connects. puppeteer-core's
 * main entry loads @puppeteer/browsers (with semver, proxy-agent and more) for its launchers, 75–130
 * ms of the main thread at every start; its entry for browsers connects the same way, over the
 * transport given, or Node's WebSocket for --browser-ws.
 */
async function puppeteerConnect(): Promise<Pick<typeof import('puppeteer-core'), 'connect'>> {
  // The same classes at run time; puppeteer's types declare its internal modules apart from its main entry.
  return (await import('puppeteer-core/internal/puppeteer-core-browser.js')) as unknown as Pick<typeof import('puppeteer-core'), 'connect'>;
}

/**
 * Ends a launched browser at once. Nothing in it is worth a graceful shutdown (its profile is
 * temporary, and a stuck page could hold one up): its process group is killed.
 */
export async function killBrowser(browser: Browser): Promise<void> {
  const child = processes.get(browser);
  if (child) killProcessGroup(child);
  const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
  await Promise.race([browser.close().catch(() => undefined), grace]);
}

function killProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
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
