import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, CDPSession, Page } from 'puppeteer-core';
import { GalleyError } from '../errors.js';
import type { RemoteAccess } from '../net/guarded-fetch.js';
import { BROWSER_CLOSED, BROWSER_STOPPED, memoryExceeded, pageCrashed, startError } from './browser-errors.js';
import { checkVersion, connectBrowser, killBrowser, launchBrowser, leaveBrowser, withinGrace } from './launch.js';
import { MemoryWatchdog, PAGE_MEMORY_LIMIT_BYTES, type MemoryStop } from './memory-watchdog.js';
import { PageWatch } from './page-watch.js';
import { mark } from '../report/trace.js';
import { RunFolder } from './run-folder.js';

/**
 * The purpose of pages that draw diagrams: the only pages where JavaScript runs (mermaid's own
 * bundle), so they too live in a browser context of their own, apart from every document's pages.
 */
export const DRAWING = 'drawing';

/** How many documents a page serves before it is closed and a new one takes its place. */
export const PAGE_USES = 25;

/**
 * How many documents a page shows between two collections of its renderer's garbage. Each document
 * is written into the page through its renderer's JavaScript heap, which V8 left to grow: at 300
 * articles the two print renderers held 141–186 MB, and 108 MB collected every 5 documents (at 10
 * articles, 110 MB).
 */
export const COLLECT_EVERY = 5;

/** The purposes whose pages live in a browser context of their own. */
const OWN_CONTEXT = [DRAWING];

/** A crash this soon after the watchdog killed a process is put down to that process's memory. */
const MEMORY_STOP_WINDOW_MS = 2_000;

/** Where pages come from: the whole session, or one document's share of it. */
export interface PageSource {
  /**
   * A page to use. Pages are reused only for the same `purpose`, since a page keeps settings such
   * as its viewport, and output must not depend on what a page did before.
   */
  newPage(purpose: string): Promise<Page>;
  /** Gives a page back when its work is done: kept for the next one, unless its work failed (`usable` false): then it is closed. */
  release(page: Page, usable?: boolean): Promise<void>;
  /** The watch over a page in use: it fails as soon as the page crashes or is stopped. */
  watchOf?(page: Page): PageWatch | undefined;
  /** A new folder for one page's files, inside the run's own folder (removed with it). */
  pageDir?(): Promise<string>;
  /** Set only with --allow-remote: how pages may fetch http(s) (see guardPage). */
  readonly remoteAccess?: RemoteAccess | undefined;
}

/** A browser to launch (found by findBrowser), or a running one to connect to (--browser-ws). */
export type BrowserTarget = { executablePath: string | (() => Promise<string>) } | { wsEndpoint: string };

export interface SessionOptions {
  /** Where the run's own folder is made: the system's temp folder unless told. */
  tempDir?: string | undefined;
  /** The most memory a page's renderer or print job may hold (see PAGE_MEMORY_LIMIT_BYTES). */
  memoryLimitBytes?: number | undefined;
}

/** A page in use, and what its use holds. */
interface InUse {
  purpose: string;
  /** When it was taken (Date.now()). */
  since: number;
  watch: PageWatch;
  /** Stops listening to the signal of the work that took the page. */
  detach?: () => void;
}

/**
 * The browser of a run: started on first use and kept warm; if it crashes, disconnects or gets
 * stuck, the next page starts a new one. Pages go back to a pool when released, since a new page
 * costs a new renderer; a page whose work failed or was given up is closed instead. `close()` ends
 * the browser (or disconnects from a remote one) and removes the run's folder.
 */
export class BrowserSession implements PageSource {
  #browser: Promise<Browser> | undefined;
  #runFolder: Promise<RunFolder> | undefined;
  #watchdog: MemoryWatchdog | undefined;
  #lastMemoryStop = Number.NEGATIVE_INFINITY;
  /** Processes the watchdog killed that Chrome may not have let go of yet. */
  #killed: number[] = [];
  /** The contexts of photographed and drawing pages, in the browser above. */
  readonly #contexts = new Map<string, Promise<BrowserContext>>();
  readonly #idle = new Map<string, Page[]>();
  readonly #inUse = new Map<Page, InUse>();
  /** Every open page the session made, idle or in use, with its purpose. */
  readonly #purposes = new Map<Page, string>();
  readonly #crashed = new WeakSet<Page>();
  /** How many documents each page has served. */
  readonly #uses = new WeakMap<Page, number>();
  /** A DevTools session of each page that has had its garbage collected. */
  readonly #devTools = new WeakMap<Page, Promise<CDPSession>>();
  #launchTab: Page | undefined;
  #launches = 0;
  #onSpawned: (() => void) | undefined;
  #lost = false;
  #described: string | undefined;
  /** Set by close(): work given up but still running must not start a browser that nobody ends. */
  #closing: Promise<void> | undefined;
  readonly #memoryLimitBytes: number;

  constructor(
    private readonly target: BrowserTarget,
    readonly remoteAccess?: RemoteAccess,
    private readonly options: SessionOptions = {},
  ) {
    this.#memoryLimitBytes = options.memoryLimitBytes ?? PAGE_MEMORY_LIMIT_BYTES;
  }

  /** How many times a browser was started or connected to. */
  get launches(): number {
    return this.#launches;
  }

  /**
   * True once a running browser galley connected to (--browser-ws) could not be reached, or went
   * away while galley was not closing it: someone else's browser, which galley cannot start again.
   */
  get lost(): boolean {
    return this.#lost;
  }

  /** The browser last started or connected to: "Chrome 156.0.8078.114 (headless shell), /usr/bin/chromium-headless-shell". */
  get browserDescription(): string | undefined {
    return this.#described;
  }

  /** Starts the browser now, while other work goes on; the next page will not wait as long. */
  warmUp(): void {
    this.#browserOf().catch(() => undefined);
  }

  /**
   * Starts the browser now, and waits only until its process is started (or starting it failed):
   * work that holds the event loop for long, such as loading modules, may then go on while the
   * browser starts up.
   */
  async warmUpFirst(): Promise<void> {
    const spawned = new Promise<void>((resolve) => (this.#onSpawned = resolve));
    await Promise.race([spawned, this.#browserOf().catch(() => undefined)]);
  }

  /** A page for `purpose`, closed at once, and never reused, if `signal` aborts while it is in use. */
  async newPage(purpose: string, signal?: AbortSignal): Promise<Page> {
    signal?.throwIfAborted();
    await this.#untilKilledAreGone();
    const page = await this.#takePage(purpose);
    // Nothing but galley's own deadline may cut a document's step short.
    page.setDefaultTimeout(0);
    page.setDefaultNavigationTimeout(0);
    const use: InUse = { purpose, since: Date.now(), watch: new PageWatch(page, () => this.#crashReason(purpose)) };
    this.#inUse.set(page, use);
    this.#watchdog?.start();
    if (signal) {
      const giveUp = () => {
        use.watch.fail(signal.reason instanceof GalleyError ? signal.reason : new GalleyError('given up'));
        void this.#retire(page);
      };
      signal.addEventListener('abort', giveUp, { once: true });
      use.detach = () => signal.removeEventListener('abort', giveUp);
      if (signal.aborted) giveUp();
      signal.throwIfAborted();
    }
    return page;
  }

  async release(page: Page, usable = true): Promise<void> {
    const use = this.#inUse.get(page);
    if (!use) return;
    if (!usable || use.watch.failed || page.isClosed() || this.#crashed.has(page)) return this.#retire(page);
    const uses = (this.#uses.get(page) ?? 0) + 1;
    this.#uses.set(page, uses);
    // A renderer's caches grow with every document it shows: after a while the page makes way for a new one.
    if (uses >= PAGE_USES) return this.#retire(page);
    if (uses % COLLECT_EVERY === 0) await this.#collectGarbage(page);
    this.#endUse(page, use);
    // Its document's request policy goes with it; the next user sets its own (guardPage).
    page.removeAllListeners('request');
    this.#idle.set(use.purpose, [...(this.#idle.get(use.purpose) ?? []), page]);
  }

  watchOf(page: Page): PageWatch | undefined {
    return this.#inUse.get(page)?.watch;
  }

  async pageDir(): Promise<string> {
    if (this.#closing) throw new GalleyError(BROWSER_CLOSED);
    return (await this.#runFolderOf()).pageDir();
  }

  /** Pages for one document: all of them are closed when its work is given up. */
  forDocument(signal: AbortSignal): PageSource {
    return {
      newPage: (purpose) => this.newPage(purpose, signal),
      release: (page, usable) => this.release(page, usable),
      watchOf: (page) => this.watchOf(page),
      pageDir: () => this.pageDir(),
      remoteAccess: this.remoteAccess,
    };
  }

  /** A page whose garbage cannot be collected is left as it is: it is closed after PAGE_USES documents anyway. */
  async #collectGarbage(page: Page): Promise<void> {
    try {
      let devTools = this.#devTools.get(page);
      if (!devTools) {
        devTools = page.createCDPSession();
        this.#devTools.set(page, devTools);
      }
      await (await devTools).send('HeapProfiler.collectGarbage');
    } catch {
      this.#devTools.delete(page);
    }
  }

  #endUse(page: Page, use: InUse): void {
    this.#inUse.delete(page);
    use.detach?.();
    use.watch.dispose();
    if (this.#inUse.size === 0) this.#watchdog?.stop();
  }

  /** Closes a page that must not be used again. One that cannot be closed is stuck in its browser: a new one will start. */
  async #retire(page: Page): Promise<void> {
    const use = this.#inUse.get(page);
    if (use) this.#endUse(page, use);
    const browser = page.browser();
    if (await withinGrace(page.close())) return;
    if ('executablePath' in this.target && browser.connected) await killBrowser(browser);
  }

  #crashReason(purpose: string): GalleyError {
    if (Date.now() - this.#lastMemoryStop < MEMORY_STOP_WINDOW_MS) return memoryExceeded(this.#memoryLimitBytes);
    return pageCrashed(purpose === DRAWING ? 'drawing a diagram' : 'printing');
  }

  /**
   * A renderer killed for its memory crashes its pages, which then say why. A print job's compositor
   * dies silently, and Chrome does not say whose it was: every page printing since before it
   * started is told (with --jobs 2, that may be an innocent one too).
   */
  #onMemoryStop(stop: MemoryStop): void {
    this.#lastMemoryStop = Date.now();
    this.#killed.push(stop.pid);
    if (stop.type === 'renderer') return;
    for (const use of this.#inUse.values()) {
      if (use.since <= stop.since) use.watch.fail(memoryExceeded(this.#memoryLimitBytes));
    }
  }

  /**
   * Waits (up to the memory-stop window) until Chrome has reaped the processes the watchdog killed.
   * Until it has, it may still hand a new page or print job to one of them (a print compositor is
   * reused from job to job), which would then fail as if it were that page's own memory.
   */
  async #untilKilledAreGone(): Promise<void> {
    const until = Date.now() + MEMORY_STOP_WINDOW_MS;
    while (this.#killed.length > 0 && Date.now() < until) {
      this.#killed = this.#killed.filter((pid) => existsSync(`/proc/${pid}`));
      if (this.#killed.length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.#killed = [];
  }

  async #takePage(purpose: string): Promise<Page> {
    const browser = await this.#browserOf();
    const idle = this.#idle.get(purpose) ?? [];
    for (let page = idle.pop(); page; page = idle.pop()) {
      if (!page.isClosed() && !this.#crashed.has(page) && page.browser() === browser) return page;
      page.close().catch(() => undefined);
    }
    const page = OWN_CONTEXT.includes(purpose) ? await (await this.#contextOf(browser, purpose)).newPage() : await this.#newTab(browser);
    this.#purposes.set(page, purpose);
    page.once('close', () => this.#purposes.delete(page));
    page.on('error', () => this.#crashed.add(page));
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
    if (this.#closing) return Promise.reject(new GalleyError(BROWSER_CLOSED));
    if (!this.#browser) {
      const started = this.#start();
      this.#browser = started;
      this.#contexts.clear();
      started.then(
        (browser) => browser.once('disconnected', () => this.#onDisconnected(started, browser)),
        () => undefined,
      );
    }
    return this.#browser;
  }

  /** Its pages in use fail at once, and the next page starts a new browser. */
  #onDisconnected(started: Promise<Browser>, browser: Browser): void {
    if (this.#browser === started) this.#browser = undefined;
    if ('wsEndpoint' in this.target && !this.#closing) this.#lost = true;
    const reason = new GalleyError(this.#closing ? BROWSER_CLOSED : BROWSER_STOPPED);
    for (const [page, use] of this.#inUse) if (page.browser() === browser) use.watch.fail(reason);
    if ('executablePath' in this.target) void killBrowser(browser);
  }

  #contextOf(browser: Browser, purpose: string): Promise<BrowserContext> {
    let context = this.#contexts.get(purpose);
    if (!context) {
      context = browser.createBrowserContext();
      this.#contexts.set(purpose, context);
    }
    return context;
  }

  #runFolderOf(): Promise<RunFolder> {
    this.#runFolder ??= RunFolder.create(this.options.tempDir);
    return this.#runFolder;
  }

  async #start(): Promise<Browser> {
    this.#launches += 1;
    if ('wsEndpoint' in this.target) {
      const endpoint = this.target.wsEndpoint;
      const browser = await connectBrowser(endpoint).catch((error: unknown) => {
        this.#lost = true;
        return Promise.reject(startError(error, `connect to the browser at ${endpoint}`));
      });
      this.#described = await checkVersion(browser, endpoint).catch(async (error: unknown) => {
        await browser.disconnect();
        throw error;
      });
      return browser;
    }
    const { executablePath } = this.target;
    // Found only when first needed: an EPUB-only build with its own cover needs no browser.
    const executable = typeof executablePath === 'string' ? executablePath : await executablePath();
    mark(`launching ${executable}`);
    const spawned = () => this.#onSpawned?.();
    const browser = await launchBrowser(executable, await this.#runFolderOf(), this.#launches, spawned).catch((error: unknown) =>
      Promise.reject(startError(error, `start the browser ${executable}`)),
    );
    mark('browser started');
    this.#described = await checkVersion(browser, executable).catch(async (error: unknown) => {
      await killBrowser(browser);
      throw error;
    });
    this.#watchdog?.stop();
    this.#watchdog = new MemoryWatchdog(browser, this.#memoryLimitBytes, (stop) => this.#onMemoryStop(stop));
    if (this.#inUse.size > 0) this.#watchdog.start();
    // Taken by the first page asked for, rather than left idle with a renderer of its own.
    [this.#launchTab] = await browser.pages();
    mark('its first tab ready');
    return browser;
  }

  /** Ends the browser and removes the run's folder; every call waits for the same ending. */
  close(): Promise<void> {
    this.#closing ??= this.#end();
    return this.#closing;
  }

  async #end(): Promise<void> {
    const contexts = [...this.#contexts.values()];
    const browser = await this.#browser?.catch(() => undefined);
    this.#watchdog?.stop();
    if (browser && 'wsEndpoint' in this.target) await leaveBrowser(browser, [...this.#purposes.keys()], contexts);
    else if (browser) await killBrowser(browser);
    await (await this.#runFolder?.catch(() => undefined))?.remove();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
