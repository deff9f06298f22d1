import type { Browser, Page } from 'puppeteer-core';
import type { RemoteAccess } from '../net/guarded-fetch.js';

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
];

const CLOSE_GRACE_MS = 2_000;

/** However galley ends, the browser it launched ends with it. */
function killOnExit(browser: Browser): void {
  const child = browser.process();
  if (!child) return;
  const kill = () => void child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
}

/** Where pages come from: the whole session, or one document's share of it. */
export interface PageSource {
  /** A new page, closed when `signal` aborts (if given) or by the caller. */
  newPage(signal?: AbortSignal): Promise<Page>;
  /** Set only with --allow-remote: how pages may fetch http(s) (see guardPage). */
  readonly remoteAccess?: RemoteAccess | undefined;
}

/** A browser to launch (found by findBrowser), or a running one to connect to (--browser-ws). */
export type BrowserTarget = { executablePath: string } | { wsEndpoint: string };

/**
 * One browser for a run: started on first use and kept warm; if it crashes or disconnects, the
 * next page starts a new one. `close()` ends it (or disconnects from a remote one).
 */
export class BrowserSession implements PageSource {
  #browser: Promise<Browser> | undefined;
  #launches = 0;

  constructor(
    private readonly target: BrowserTarget,
    readonly remoteAccess?: RemoteAccess,
  ) {}

  /** How many times a browser was started or connected to. */
  get launches(): number {
    return this.#launches;
  }

  async newPage(signal?: AbortSignal): Promise<Page> {
    signal?.throwIfAborted();
    this.#browser ??= this.#start();
    const page = await (await this.#browser).newPage();
    if (signal) {
      if (signal.aborted) await page.close();
      signal.addEventListener('abort', () => void page.close().catch(() => undefined), { once: true });
      signal.throwIfAborted();
    }
    return page;
  }

  /** Pages for one document: all of them are closed when its work is given up. */
  forDocument(signal: AbortSignal): PageSource {
    return { newPage: () => this.newPage(signal), remoteAccess: this.remoteAccess };
  }

  async #start(): Promise<Browser> {
    this.#launches += 1;
    const puppeteer = await import('puppeteer-core');
    const browser =
      'wsEndpoint' in this.target
        ? await puppeteer.connect({ browserWSEndpoint: this.target.wsEndpoint })
        : await puppeteer.launch({
            executablePath: this.target.executablePath,
            headless: true,
            args: process.getuid?.() === 0 ? [...CHROME_ARGS, '--no-sandbox'] : CHROME_ARGS,
            // galley closes the browser itself on Ctrl-C, after stopping its work (see build()).
            handleSIGINT: false,
            handleSIGTERM: false,
            handleSIGHUP: false,
          });
    const current = this.#browser;
    browser.once('disconnected', () => {
      if (this.#browser === current) this.#browser = undefined;
    });
    killOnExit(browser);
    return browser;
  }

  async close(): Promise<void> {
    const starting = this.#browser;
    this.#browser = undefined;
    const browser = await starting?.catch(() => undefined);
    if (!browser) return;
    if ('wsEndpoint' in this.target) return browser.disconnect();
    // A browser busy with a stuck page can take long to close: after a grace period, kill it.
    const closed = browser.close().then(
      () => true,
      () => false,
    );
    const grace = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CLOSE_GRACE_MS).unref());
    await Promise.race([closed, grace]);
    const child = browser.process();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
