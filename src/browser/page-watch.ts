import type { Page } from 'puppeteer-core';
import { GalleyError } from '../errors.js';
import { browserError } from './browser-errors.js';

/** How long a failed step waits for the page's own news: Chrome may fail a step just before it reports the crash. */
const SETTLE_MS = 100;

/**
 * A page in use: `failure` rejects, with a GalleyError, as soon as the page crashes (`crashReason`
 * says why: its renderer may have been stopped for its memory), is closed, or is failed by the
 * session (its browser went away, or its print job held too much memory). A step raced against
 * it ends then, instead of waiting for a deadline.
 */
export class PageWatch {
  readonly failure: Promise<never>;
  #reject!: (error: GalleyError) => void;
  #failed: GalleyError | undefined;
  readonly #onCrash = () => this.fail(this.crashReason());
  readonly #onClose = () => this.fail(new GalleyError('the page was closed while in use'));

  constructor(
    private readonly page: Page,
    private readonly crashReason: () => GalleyError,
  ) {
    this.failure = new Promise<never>((_, reject) => (this.#reject = reject));
    this.failure.catch(() => undefined);
    page.on('error', this.#onCrash);
    // Not once(): puppeteer's off() would not find the wrapper that once() registers.
    page.on('close', this.#onClose);
  }

  /** The first reason given wins. */
  fail(reason: GalleyError): void {
    if (this.#failed) return;
    this.#failed = reason;
    this.#reject(reason);
  }

  get failed(): GalleyError | undefined {
    return this.#failed;
  }

  /** `work`, unless the page fails first. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.failure]);
  }

  /** What to report for a step that failed with `error`: the page's own failure if it comes at once, else `error` made readable. */
  async explain(error: unknown): Promise<unknown> {
    if (this.#failed || error instanceof GalleyError) return this.#failed ?? error;
    let timer: NodeJS.Timeout | undefined;
    const settled = new Promise<void>((resolve) => (timer = setTimeout(resolve, SETTLE_MS)));
    await Promise.race([settled, this.failure.catch(() => undefined)]);
    clearTimeout(timer);
    return this.#failed ?? browserError(error);
  }

  dispose(): void {
    this.page.off('error', this.#onCrash);
    this.page.off('close', this.#onClose);
  }
}
