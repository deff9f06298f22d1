import { setImmediate } from 'node:timers/promises';
import { parentPort } from 'node:worker_threads';
import { GalleyError } from '../errors.js';
import { compileTemplate, type Template } from '../render/templates.js';
import { CoverFaces } from './cover-faces.js';
import { type CoverBook, layOutCover } from './cover-layout.js';
import { drawCover } from './draw-cover.js';
import { warmUp } from './paint.js';
import type { CoverJob, CoverReply, WorkerMessage } from './workers.js';

/**
 * The worker thread that draws covers (see workers.ts): it sets the text, fills the template,
 * sanitizes the SVG and paints it. Its fonts, and the templates it compiled, stay for the run.
 */
const faces = new CoverFaces();
const templates = new Map<string, Template>();

const jobs: CoverJob[] = [];
let drawing = false;

/** Set when the worker starts (and painted small by resvg's WebAssembly build), so that the first cover finds its fonts open and the code compiled. */
const SAMPLE: CoverBook = {
  title: 'The title of a cover',
  standfirst: 'A standfirst, set in italics',
  authors: ['A Writer'],
  dateText: '1 January 2026',
  publisher: 'Galley',
  lang: 'en',
  dir: 'ltr',
};

/**
 * Settled once the sample is painted (worker-start.ts makes the code cache then). A cover asked for
 * before the worker was running comes first, and warms it up instead.
 */
export const warmedUp = setImmediate()
  .then(() => (jobs.length > 0 || drawing ? undefined : warmUpWithSample()))
  .catch(() => undefined);

async function warmUpWithSample(): Promise<void> {
  const { layout } = await layOutCover(SAMPLE, faces);
  await warmUp([layout.masthead.d, layout.title.d, layout.standfirst?.d ?? '', layout.footer.byline.d]);
}

function compiled(file: string, source: string): Template {
  const key = `${file}\n${source}`;
  let template = templates.get(key);
  if (!template) {
    template = compileTemplate(file, source);
    templates.set(key, template);
  }
  return template;
}

parentPort?.on('message', (job: CoverJob) => {
  jobs.push(job);
  if (!drawing) void drawInTurn();
});

// This thread's code is compiled (from its cache) and running: the main thread may now change V8's flags (heap-growth.ts).
parentPort?.postMessage({ running: true } satisfies WorkerMessage);

/**
 * One cover at a time, with a turn of the event loop after each. Node frees what a native addon
 * holds (resvg's painted pictures, 32 MB a cover) in that turn, and a port runs all the messages it
 * has queued before it gives the loop a turn: 60 covers asked for at once held 2 GB.
 */
async function drawInTurn(): Promise<void> {
  drawing = true;
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    await answer(job);
    await setImmediate();
  }
  drawing = false;
}

async function answer(job: CoverJob): Promise<void> {
  try {
    const cover = await drawCover(job.book, { render: compiled(job.file, job.source), file: job.file }, faces);
    parentPort?.postMessage({ id: job.id, cover } satisfies CoverReply, [cover.bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: job.id, ...describe(error) } satisfies CoverReply);
  }
}

/** An error as it crosses to the main thread: a GalleyError keeps its place, so that it is still one line naming the template. */
function describe(error: unknown): { error: string; place?: { file?: string; line?: number } } {
  if (!(error instanceof GalleyError)) return { error: error instanceof Error ? error.message : String(error) };
  const place: { file?: string; line?: number } = {};
  if (error.file !== undefined) place.file = error.file;
  if (error.line !== undefined) place.line = error.line;
  return { error: error.message, place };
}
