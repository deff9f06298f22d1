import { readFile } from 'node:fs/promises';
import type { Browser, CDPSession } from 'puppeteer-core';

/**
 * The most memory (resident) one of Chrome's renderers, or a print job's compositor, may hold
 * while it works for galley. A page's renderer holds about 120 MB, and the article's print job
 * under 300 MB; a CSS or SVG filter bomb, or a huge image, takes gigabytes.
 */
export const PAGE_MEMORY_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

const CHECK_EVERY_MS = 250;
/** Chrome's names for the processes that hold a page's work: its renderer, and its print job's compositor. */
const WATCHED_TYPES = new Set(['renderer', 'printing.mojom.PrintCompositor']);

/** A process the watchdog stopped: `renderer` or `printing.mojom.PrintCompositor`. */
export interface MemoryStop {
  type: string;
  pid: number;
  bytes: number;
  /** When the watchdog first saw the process (Date.now()): a page taken later is not its page. */
  since: number;
}

/**
 * Reads the resident memory of a launched browser's renderers and print compositors every 250 ms
 * while it runs, and kills any that holds more than `limitBytes`. Chrome lists its processes
 * (SystemInfo.getProcessInfo, about 1 ms); Linux's /proc says how much each holds.
 */
export class MemoryWatchdog {
  #timer: NodeJS.Timeout | undefined;
  #checking = false;
  #cdp: Promise<CDPSession> | undefined;
  readonly #firstSeen = new Map<number, number>();

  constructor(
    private readonly browser: Browser,
    private readonly limitBytes: number,
    private readonly onStop: (stop: MemoryStop) => void,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => void this.#check(), CHECK_EVERY_MS).unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #check(): Promise<void> {
    if (this.#checking || !this.browser.connected) return;
    this.#checking = true;
    try {
      this.#cdp ??= this.browser.target().createCDPSession();
      const { processInfo } = await (await this.#cdp).send('SystemInfo.getProcessInfo');
      const watched = processInfo.filter(({ type }) => WATCHED_TYPES.has(type));
      this.#remember(watched.map(({ id }) => id));
      for (const { type, id: pid } of watched) {
        const bytes = await residentBytes(pid);
        if (bytes > this.limitBytes && kill(pid)) this.onStop({ type, pid, bytes, since: this.#firstSeen.get(pid)! });
      }
    } catch {
      // The browser is going, or this system has no /proc: nothing to watch.
    } finally {
      this.#checking = false;
    }
  }

  #remember(pids: number[]): void {
    const now = Date.now();
    for (const pid of this.#firstSeen.keys()) if (!pids.includes(pid)) this.#firstSeen.delete(pid);
    for (const pid of pids) if (!this.#firstSeen.has(pid)) this.#firstSeen.set(pid, now);
  }
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'latin1').catch(() => '');
  return Number(/^VmRSS:\s*(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

function kill(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
