import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { GalleyError } from '../errors.js';
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
  // Each window's omnibox pop-ups (WebUI pages that headless never shows) and a spare renderer
  // process cost about 60 MB each.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess',
];

const CLOSE_GRACE_MS = 2_000;

/**
 * The purpose of pages that are photographed (the EPUB's cover). Headless Chrome paints only the
 * tab in front of its window, and a screenshot of any other waits forever (holding up, in
 * puppeteer, every page's opening and closing in its browser context). So these pages live in a
 * browser context of their own, which has a window of its own, one page at a time.
 */
export const PHOTOGRAPHED = 'photographed';

/** Where pages come from: the whole session, or one document's share of it. */
export interface PageSource {
  /**
   * A page to use. Pages are reused only for the same `purpose`, since a page keeps settings such
   * as its viewport, and output must not depend on what a page did before.
   */
  newPage(purpose: string): Promise<Page>;
  /** Gives a page back when its work is done: it is kept for the next one, or closed. */
  release(page: Page): Promise<void>;
  /** Set only with --allow-remote: how pages may fetch http(s) (see guardPage). */
  readonly remoteAccess?: RemoteAccess | undefined;
}

/** A browser to launch (found by findBrowser), or a running one to connect to (--browser-ws). */
export type BrowserTarget = { executablePath: string } | { wsEndpoint: string };

/**
 * The browser of a run: started on first use and kept warm; if it crashes or disconnects, the next
 * page starts a new one. Pages go back to a pool when released, since a new page costs a new
 * renderer. `close()` ends the browser (or disconnects from a remote one).
 */
export class BrowserSession implements PageSource {
  #browser: Promise<Browser> | undefined;
  /** The context of photographed pages, in the browser above. */
  #photoContext: Promise<BrowserContext> | undefined;
  readonly #idle = new Map<string, Page[]>();
  #launchTab: Page | undefined;
  #launches = 0;
  /** Set by close(): work given up but still running must not start a browser that nobody ends. */
  #closing: Promise<void> | undefined;
  readonly #purposes = new Map<Page, string>();
  /** Detaches a page in use from the signal of the work that took it; true if that work was given up. */
  readonly #detach = new Map<Page, () => boolean>();
  /** Photographed pages are used one at a time: each waits for the one before to be released. */
  #photoTurn: Promise<void> = Promise.resolve();
  readonly #endPhotoTurn = new Map<Page, () => void>();

  constructor(
    private readonly target: BrowserTarget,
    readonly remoteAccess?: RemoteAccess,
  ) {}

  /** How many times a browser was started or connected to. */
  get launches(): number {
    return this.#launches;
  }

  /** Starts the browser now, while other work goes on; the next page will not wait as long. */
  warmUp(): void {
    this.#browserOf().catch(() => undefined);
  }

  /** A page for `purpose`, closed at once if `signal` aborts while it is in use. */
  async newPage(purpose: string, signal?: AbortSignal): Promise<Page> {
    signal?.throwIfAborted();
    const page = purpose === PHOTOGRAPHED ? await this.#takePhotoTurn(signal) : await this.#takePage(purpose);
    if (signal) {
      const close = () => void page.close().catch(() => undefined);
      signal.addEventListener('abort', close, { once: true });
      this.#detach.set(page, () => {
        signal.removeEventListener('abort', close);
        return signal.aborted;
      });
      if (signal.aborted) close();
      signal.throwIfAborted();
    }
    return page;
  }

  async release(page: Page): Promise<void> {
    const givenUp = this.#detach.get(page)?.() ?? false;
    this.#detach.delete(page);
    const purpose = this.#purposes.get(page) ?? '';
    if (!givenUp && !page.isClosed()) {
      // Its document's request policy goes with it; the next user sets its own (guardPage).
      page.removeAllListeners('request');
      this.#idle.set(purpose, [...(this.#idle.get(purpose) ?? []), page]);
    }
    this.#endPhotoTurn.get(page)?.();
    this.#endPhotoTurn.delete(page);
  }

  /** Pages for one document: all of them are closed when its work is given up. */
  forDocument(signal: AbortSignal): PageSource {
    return { newPage: (purpose) => this.newPage(purpose, signal), release: (page) => this.release(page), remoteAccess: this.remoteAccess };
  }

  async #takePhotoTurn(signal: AbortSignal | undefined): Promise<Page> {
    let endTurn!: () => void;
    const previous = this.#photoTurn;
    this.#photoTurn = new Promise<void>((resolve) => (endTurn = resolve));
    try {
      await previous;
      signal?.throwIfAborted();
      const page = await this.#takePage(PHOTOGRAPHED);
      this.#endPhotoTurn.set(page, endTurn);
      return page;
    } catch (error) {
      endTurn();
      throw error;
    }
  }

  async #takePage(purpose: string): Promise<Page> {
    const browser = await this.#browserOf();
    const idle = this.#idle.get(purpose) ?? [];
    for (let page = idle.pop(); page; page = idle.pop()) {
      if (!page.isClosed() && page.browser() === browser) return page;
    }
    const page = purpose === PHOTOGRAPHED ? await (await this.#photoContextOf(browser)).newPage() : await this.#newTab(browser);
    this.#purposes.set(page, purpose);
    page.once('close', () => this.#purposes.delete(page));
    return page;
  }

  /** The tab Chrome opened at launch, if no one has it yet; else a new tab. */
  #newTab(browser: Browser): Promise<Page> {
    const launchTab = this.#launchTab;
    this.#launchTab = undefined;
    if (launchTab && !launchTab.isClosed() && launchTab.browser() === browser) return Promise.resolve(launchTab);
    return browser.newPage();
  }

  #browserOf(): Promise<Browser> {
    if (this.#closing) return Promise.reject(new GalleyError('the browser was closed'));
    if (!this.#browser) {
      const started = this.#start();
      this.#browser = started;
      this.#photoContext = undefined;
      started.then(
        (browser) => browser.once('disconnected', () => this.#browser === started && (this.#browser = undefined)),
        () => undefined,
      );
    }
    return this.#browser;
  }

  #photoContextOf(browser: Browser): Promise<BrowserContext> {
    this.#photoContext ??= browser.createBrowserContext();
    return this.#photoContext;
  }

  async #start(): Promise<Browser> {
    this.#launches += 1;
    const puppeteer = await import('puppeteer-core');
    if ('wsEndpoint' in this.target) return puppeteer.connect({ browserWSEndpoint: this.target.wsEndpoint });
    const browser = await puppeteer.launch({
      executablePath: this.target.executablePath,
      headless: true,
      // A copy: puppeteer takes the --disable-features flag out of the array it is given.
      args: process.getuid?.() === 0 ? [...CHROME_ARGS, '--no-sandbox'] : [...CHROME_ARGS],
      // galley closes the browser itself on Ctrl-C, after stopping its work (see build()).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    killOnExit(browser);
    // Taken by the first page asked for, rather than left idle with a renderer of its own.
    [this.#launchTab] = await browser.pages();
    return browser;
  }

  /** Ends the browser; every call waits for the same ending. */
  close(): Promise<void> {
    this.#closing ??= this.#end();
    return this.#closing;
  }

  async #end(): Promise<void> {
    const starting = this.#browser;
    const photoContext = this.#photoContext;
    const browser = await starting?.catch(() => undefined);
    if (!browser) return;
    if ('wsEndpoint' in this.target) {
      // The browser is someone else's: leave it as it was found.
      await Promise.all([...this.#purposes.keys()].map((page) => page.close().catch(() => undefined)));
      await photoContext?.then((context) => context.close()).catch(() => undefined);
      return browser.disconnect();
    }
    // Nothing in the browser is worth a graceful shutdown (its profile is temporary, and a stuck
    // page could hold one up): its processes are ended at once, and puppeteer then removes the profile.
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

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** However galley ends, the browser it launched ends with it. */
function killOnExit(browser: Browser): void {
  const child = browser.process();
  if (!child) return;
  const kill = () => void child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
}
