import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CoverFaces } from './cover-faces.js';
import type { CoverBook, LaidOutCover } from './cover-layout.js';

export type CoverJob = { id: number; kind: 'layout'; book: CoverBook } | { id: number; kind: 'paint'; svg: string };
export type CoverReply = { id: number; laidOut: LaidOutCover } | { id: number; png: Uint8Array } | { id: number; error: string };

/**
 * The bundle's worker, beside this code in dist/. From the sources (the tests), covers are set and
 * painted in this thread. Off the main thread, a cover's fonts and resvg load while the document's
 * chapters are rendered, and resvg's painting never holds up the other documents of a batch. One
 * worker is enough: with a second, 100 articles took as long (1.01 ×) and 140 MB more.
 */
const WORKER_FILE = fileURLToPath(new URL('./cover-worker.js', import.meta.url));
const HAS_WORKER = existsSync(WORKER_FILE);

let worker: Worker | undefined;
const waiting = new Map<number, { resolve: (reply: CoverReply) => void; reject: (error: Error) => void }>();
let nextId = 0;

/** Starts the worker, which opens the fonts and compiles resvg, before the first cover is asked for. */
export function startCoverWorker(): void {
  if (HAS_WORKER) coverWorker();
}

/** The cover's text set in galley's fonts, and what had to be cut; started at once, in the worker when there is one. */
export function coverLayout(book: CoverBook): Promise<LaidOutCover> {
  const { title, standfirst, authors, date, dateText, publisher, lang, dir } = book;
  const shown: CoverBook = { title, standfirst, authors, date, dateText, publisher, lang, dir };
  if (!HAS_WORKER) return layOutHere(shown);
  return send({ id: nextId++, kind: 'layout', book: shown }).then((reply) => ('laidOut' in reply ? reply.laidOut : unexpected(reply)));
}

/** An SVG painted as a PNG, in the worker when there is one. */
export function coverPng(svg: string): Promise<Uint8Array> {
  if (!HAS_WORKER) return import('./paint.js').then(({ paintInThisThread }) => paintInThisThread(svg));
  return send({ id: nextId++, kind: 'paint', svg }).then((reply) => ('png' in reply ? new Uint8Array(reply.png) : unexpected(reply)));
}

let facesHere: CoverFaces | undefined;

async function layOutHere(book: CoverBook): Promise<LaidOutCover> {
  const [{ CoverFaces }, { layOutCover }] = await Promise.all([import('./cover-faces.js'), import('./cover-layout.js')]);
  facesHere ??= new CoverFaces();
  return layOutCover(book, facesHere);
}

function unexpected(reply: CoverReply): never {
  throw new Error('error' in reply ? reply.error : 'the cover worker gave another reply');
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
  const started = new Worker(WORKER_FILE);
  started.on('message', (reply: CoverReply) => {
    const caller = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) started.unref();
    if ('error' in reply) caller?.reject(new Error(reply.error));
    else caller?.resolve(reply);
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
  for (const caller of waiting.values()) caller.reject(error);
  waiting.clear();
}
