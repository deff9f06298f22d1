import type { Browser, Page } from 'puppeteer-core';
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
];

const CLOSE_GRACE_MS = 2_000;

/**
 * The purpose of pages that are photographed (the EPUB's cover). Headless Chrome paints only the
 * tab in front, and a screenshot of any other waits forever (holding up, in puppeteer, every
 * page's opening and closing). So these pages live in a browser of their own, one at a time, in
 * its only tab.
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

/** One browser and the pages it keeps for reuse. */
interface Lane {
  browser: Promise<Browser> | undefined;
  idle: Map<string, Page[]>;
}

/**
 * The browsers of a run: started on first use and kept warm; if one crashes or disconnects, the
 * next page starts a new one. Pages go back to a pool when released, since a new page costs a
 * new renderer. `close()` ends the browsers (or disconnects from a remote one).
 */
export class BrowserSession implements PageSource {
  readonly #lanes = { pages: newLane(), photos: newLane() };
  #launches = 0;
  /** Set by close(): work given up but still running must not start a browser that nobody ends. */
  #closed = false;
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

  /** Starts the main browser now, while other work goes on; the next page will not wait as long. */
  warmUp(): void {
    this.#browserOf(this.#lanes.pages).catch(() => undefined);
  }

  /** A page for `purpose`, closed at once if `signal` aborts while it is in use. */
  async newPage(purpose: string, signal?: AbortSignal): Promise<Page> {
    signal?.throwIfAborted();
    const page = purpose === PHOTOGRAPHED ? await this.#takePhotoTurn(signal) : await this.#takePage(this.#lanes.pages, purpose);
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
      const lane = purpose === PHOTOGRAPHED ? this.#lanes.photos : this.#lanes.pages;
      lane.idle.set(purpose, [...(lane.idle.get(purpose) ?? []), page]);
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
      const page = await this.#takePage(this.#lanes.photos, PHOTOGRAPHED);
      this.#endPhotoTurn.set(page, endTurn);
      return page;
    } catch (error) {
      endTurn();
      throw error;
    }
  }

  async #takePage(lane: Lane, purpose: string): Promise<Page> {
    const browser = await this.#browserOf(lane);
    const idle = lane.idle.get(purpose) ?? [];
    for (let page = idle.pop(); page; page = idle.pop()) {
      if (!page.isClosed() && page.browser() === browser) return page;
    }
    const page = await browser.newPage();
    this.#purposes.set(page, purpose);
    page.once('close', () => this.#purposes.delete(page));
    return page;
  }

  #browserOf(lane: Lane): Promise<Browser> {
    if (this.#closed) return Promise.reject(new GalleyError('the browser was closed'));
    if (!lane.browser) {
      const started = this.#start();
      lane.browser = started;
      started.then(
        (browser) => browser.once('disconnected', () => lane.browser === started && (lane.browser = undefined)),
        () => undefined,
      );
    }
    return lane.browser;
  }

  async #start(): Promise<Browser> {
    this.#launches += 1;
    const puppeteer = await import('puppeteer-core');
    if ('wsEndpoint' in this.target) return puppeteer.connect({ browserWSEndpoint: this.target.wsEndpoint });
    const browser = await puppeteer.launch({
      executablePath: this.target.executablePath,
      headless: true,
      args: process.getuid?.() === 0 ? [...CHROME_ARGS, '--no-sandbox'] : CHROME_ARGS,
      // galley closes the browser itself on Ctrl-C, after stopping its work (see build()).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    killOnExit(browser);
    return browser;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(Object.values(this.#lanes).map((lane) => this.#closeLane(lane)));
  }

  async #closeLane(lane: Lane): Promise<void> {
    const starting = lane.browser;
    lane.browser = undefined;
    lane.idle = new Map();
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

function newLane(): Lane {
  return { browser: undefined, idle: new Map() };
}

/** However galley ends, the browser it launched ends with it. */
function killOnExit(browser: Browser): void {
  const child = browser.process();
  if (!child) return;
  const kill = () => void child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
}
