import type { Browser, Page } from 'puppeteer-core';
import type { RemoteAccess } from '../net/guarded-fetch.js';
import { findBrowser } from './find-browser.js';

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

/** One browser for a run: started on first use, closed by `close()`, also after errors. */
export class BrowserSession {
  #browser: Promise<Browser> | undefined;

  /**
   * @param remoteAccess set only with --allow-remote: how pages may fetch http(s) resources
   *   (see guardPage); without it every remote request is refused.
   */
  constructor(
    private readonly browserPath: string | undefined,
    readonly remoteAccess?: RemoteAccess,
  ) {}

  async newPage(): Promise<Page> {
    this.#browser ??= this.#launch();
    return (await this.#browser).newPage();
  }

  get started(): boolean {
    return this.#browser !== undefined;
  }

  async #launch(): Promise<Browser> {
    const executablePath = await findBrowser(this.browserPath);
    const { launch } = await import('puppeteer-core');
    const runningAsRoot = process.getuid?.() === 0;
    return launch({
      executablePath,
      headless: true,
      // galley closes the browser itself on Ctrl-C, after stopping its work (see build()).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: runningAsRoot ? [...CHROME_ARGS, '--no-sandbox'] : CHROME_ARGS,
    });
  }

  async close(): Promise<void> {
    const browser = this.#browser;
    this.#browser = undefined;
    if (browser) await (await browser.catch(() => undefined))?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
