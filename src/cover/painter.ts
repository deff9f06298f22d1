import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { paintInThisThread } from './paint.js';

type Reply = { id: number; png: Uint8Array } | { id: number; error: string };

/**
 * The bundle's worker that paints covers, beside this code in dist/; from the sources (the tests),
 * covers are painted in this thread. resvg draws for about 50 ms on the thread that calls it: on
 * the main thread, that held up the printing of the other documents of a batch.
 */
const WORKER_FILE = fileURLToPath(new URL('./paint-worker.js', import.meta.url));
const HAS_WORKER = existsSync(WORKER_FILE);

let worker: Worker | undefined;
const waiting = new Map<number, { resolve: (png: Uint8Array) => void; reject: (error: Error) => void }>();
let nextId = 0;

/** Starts the painting worker (and its compiling of resvg) now, while the cover's text is set. */
export function warmUpPainter(): void {
  if (HAS_WORKER) paintingWorker().postMessage({ warmUp: true });
}

/** An SVG painted as a PNG, in the painting worker when there is one. */
export function paintPng(svg: string): Promise<Uint8Array> {
  if (!HAS_WORKER) return paintInThisThread(svg);
  const id = nextId++;
  const painted = new Promise<Uint8Array>((resolve, reject) => waiting.set(id, { resolve, reject }));
  const painter = paintingWorker();
  // Held while it paints, so that galley waits for it; let go when idle, so that it never keeps galley running.
  painter.ref();
  painter.postMessage({ id, svg });
  return painted;
}

function paintingWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(WORKER_FILE);
  started.unref();
  started.on('message', (reply: Reply) => {
    const caller = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) started.unref();
    if ('png' in reply) caller?.resolve(new Uint8Array(reply.png));
    else caller?.reject(new Error(reply.error));
  });
  started.on('error', (error) => failAll(error));
  started.on('exit', () => failAll(new Error('the cover painter stopped')));
  worker = started;
  return started;
}

function failAll(error: Error): void {
  worker = undefined;
  for (const caller of waiting.values()) caller.reject(error);
  waiting.clear();
}
