import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CoverFaces } from './cover-faces.js';
import type { CoverBook, LaidOutCover } from './cover-layout.js';

export type CoverJob = { id: number; kind: 'layout'; book: CoverBook } | { id: number; kind: 'paint'; svg: string };
export type CoverReply = { id: number; laidOut: LaidOutCover } | { id: number; png: Uint8Array } | { id: number; error: string };

/**
 * The bundle's worker, beside this code in dist/. From the sources (the tests), covers are set and
 * painted in this thread. Off the main thread, a cover's fonts and resvg load while the document's
 * chapters are rendered, and resvg's 40 ms of painting never holds up the other documents of a batch.
 */
const WORKER_FILE = fileURLToPath(new URL('./cover-worker.js', import.meta.url));
const HAS_WORKER = existsSync(WORKER_FILE);
/** A second worker paints while the first is busy: one resvg is a batch's slowest step on two cores. */
const MOST_WORKERS = Math.min(2, availableParallelism());

interface CoverWorker {
  thread: Worker;
  waiting: Map<number, { resolve: (reply: CoverReply) => void; reject: (error: Error) => void }>;
}

const workers: CoverWorker[] = [];
let nextId = 0;

/** Starts a worker, which opens the fonts and compiles resvg, before the first cover is asked for. */
export function startCoverWorker(): void {
  if (HAS_WORKER && workers.length === 0) startWorker();
}

/** The cover's text set in galley's fonts, and what had to be cut; started at once, in a worker when there is one. */
export function coverLayout(book: CoverBook): Promise<LaidOutCover> {
  const { title, standfirst, authors, date, dateText, publisher, lang, dir } = book;
  const shown: CoverBook = { title, standfirst, authors, date, dateText, publisher, lang, dir };
  if (!HAS_WORKER) return layOutHere(shown);
  return send({ id: nextId++, kind: 'layout', book: shown }).then((reply) => ('laidOut' in reply ? reply.laidOut : unexpected(reply)));
}

/** An SVG painted as a PNG, in a worker when there is one. */
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
  const worker = freeWorker();
  const replied = new Promise<CoverReply>((resolve, reject) => worker.waiting.set(job.id, { resolve, reject }));
  // Held while it works, so that galley waits for it; let go when idle, so that it never keeps galley running.
  worker.thread.ref();
  worker.thread.postMessage(job);
  return replied;
}

/** An idle worker, else a new one while there may be more, else the least busy. */
function freeWorker(): CoverWorker {
  const idle = workers.find((worker) => worker.waiting.size === 0);
  if (idle) return idle;
  if (workers.length < MOST_WORKERS) return startWorker();
  return workers.reduce((least, worker) => (worker.waiting.size < least.waiting.size ? worker : least));
}

function startWorker(): CoverWorker {
  const worker: CoverWorker = { thread: new Worker(WORKER_FILE), waiting: new Map() };
  worker.thread.on('message', (reply: CoverReply) => {
    const caller = worker.waiting.get(reply.id);
    worker.waiting.delete(reply.id);
    if (worker.waiting.size === 0) worker.thread.unref();
    if ('error' in reply) caller?.reject(new Error(reply.error));
    else caller?.resolve(reply);
  });
  worker.thread.on('error', (error) => stopped(worker, error));
  worker.thread.on('exit', () => stopped(worker, new Error('the cover worker stopped')));
  // After the listeners: adding one holds the worker again.
  worker.thread.unref();
  workers.push(worker);
  return worker;
}

function stopped(worker: CoverWorker, error: Error): void {
  const index = workers.indexOf(worker);
  if (index >= 0) workers.splice(index, 1);
  for (const caller of worker.waiting.values()) caller.reject(error);
  worker.waiting.clear();
}
