import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GalleyError } from '../errors.js';
import type { DrawnCover } from './cover-cache.js';
import type { CoverFaces } from './cover-faces.js';
import { coverFields } from './cover-fields.js';
import { keepFreedCanvases } from './native-allocator.js';
import type { CoverBook } from './cover-layout.js';
import type { CoverTemplate } from './draw-cover.js';

export type CoverJob = { id: number; book: CoverBook; file: string; source: string };
export type CoverReply = { id: number; cover: DrawnCover } | { id: number; error: string; place?: { file?: string; line?: number } };
/** What the worker posts: a reply, or once, that its code runs. */
export type WorkerMessage = CoverReply | { running: true };

/**
 * The bundle's worker, beside this code in dist/. From the sources (the tests), covers are drawn
 * in this thread. Off the main thread, a cover's fonts and resvg load while the document's chapters
 * are rendered, and its drawing (setting the text, filling the template, sanitizing and painting the
 * SVG) never holds up the other documents of a batch. One worker is enough: with a second, 100
 * articles took as long (1.01 ×) and 140 MB more.
 */
const WORKER_FILE = fileURLToPath(new URL('./cover-worker.js', import.meta.url));
const HAS_WORKER = existsSync(WORKER_FILE);

let worker: Worker | undefined;
/** Settled once the worker runs its code, or has stopped. */
let running: Promise<void> = Promise.resolve();
let settleRunning = () => {};
const waiting = new Map<number, { resolve: (reply: CoverReply) => void; reject: (error: Error) => void }>();
let nextId = 0;

/** Starts the worker, which opens the fonts and compiles resvg, before the first cover is asked for. */
export function startCoverWorker(): void {
  if (HAS_WORKER) coverWorker();
}

/** Settled once the cover worker started runs its code (or has stopped); at once when none was started. */
export function coverWorkerRunning(): Promise<void> {
  return running;
}

/** How many covers have been asked for and not yet drawn. */
export function coversBeingDrawn(): number {
  return waiting.size;
}

/** A cover drawn from `template` (whose text is `source`), in the worker when there is one; started at once. */
export function drawCoverOffThread(book: CoverBook, template: CoverTemplate & { source: string }): Promise<DrawnCover> {
  const shown = coverFields(book);
  if (!HAS_WORKER) return drawHere(shown, template);
  return send({ id: nextId++, book: shown, file: template.file, source: template.source }).then((reply) => {
    if ('cover' in reply) return { bytes: new Uint8Array(reply.cover.bytes), warnings: reply.cover.warnings };
    throw reply.place ? new GalleyError(reply.error, reply.place) : new Error(reply.error);
  });
}

let facesHere: CoverFaces | undefined;

async function drawHere(book: CoverBook, template: CoverTemplate): Promise<DrawnCover> {
  const [{ CoverFaces }, { drawCover }] = await Promise.all([import('./cover-faces.js'), import('./draw-cover.js')]);
  facesHere ??= new CoverFaces();
  return drawCover(book, template, facesHere);
}

function send(job: CoverJob): Promise<CoverReply> {
  const thread = coverWorker();
  const replied = new Promise<CoverReply>((resolve, reject) => waiting.set(job.id, { resolve, reject }));
  // Held while it works, so that galley waits for it; let go when idle, so that it never keeps galley running.
  thread.ref();
  thread.postMessage(job);
  return replied;
}

function coverWorker(): Worker {
  if (worker) return worker;
  keepFreedCanvases();
  // V8 grows a smaller heap by a smaller factor between its full collections: the worker holds
  // about 20 MB, and with the default limit (a quarter of the machine's memory) its garbage reached
  // 55 MB before it was collected. With 512 MB it collected so often that 100 covers, EPUB only,
  // took 1.19 × the time of 1024 MB's (3 pairs), for no clear gain in the peak.
  const started = new Worker(WORKER_FILE, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
  running = new Promise((resolve) => {
    settleRunning = resolve;
  });
  started.on('message', (reply: WorkerMessage) => {
    if ('running' in reply) return settleRunning();
    const caller = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) started.unref();
    caller?.resolve(reply);
  });
  started.on('error', (error) => stopped(error));
  started.on('exit', () => stopped(new Error('the cover worker stopped')));
  // After the listeners: adding one holds the worker again.
  started.unref();
  worker = started;
  return started;
}

function stopped(error: Error): void {
  worker = undefined;
  settleRunning();
  for (const caller of waiting.values()) caller.reject(error);
  waiting.clear();
}
