import { parentPort } from 'node:worker_threads';
import { CoverFaces } from './cover-faces.js';
import { type CoverBook, layOutCover } from './cover-layout.js';
import { paintInThisThread, warmUp } from './paint.js';
import type { CoverJob, CoverReply } from './workers.js';

/** The worker thread that sets a cover's text and paints its SVG (see workers.ts); its fonts stay open for the run. */
const faces = new CoverFaces();

/** Set and painted small when the worker starts, so that the first cover finds its fonts open and resvg's code compiled. */
const SAMPLE: CoverBook = {
  title: 'The title of a cover',
  standfirst: 'A standfirst, set in italics',
  authors: ['A Writer'],
  dateText: '1 January 2026',
  publisher: 'Galley',
  lang: 'en',
  dir: 'ltr',
};

layOutCover(SAMPLE, faces)
  .then(({ layout }) => warmUp([layout.masthead.d, layout.title.d, layout.standfirst?.d ?? '', layout.footer.byline.d]))
  .catch(() => undefined);

parentPort?.on('message', (job: CoverJob) => {
  const done: Promise<CoverReply> =
    job.kind === 'layout'
      ? layOutCover(job.book, faces).then((laidOut) => ({ id: job.id, laidOut }))
      : paintInThisThread(job.svg).then((png) => ({ id: job.id, png }));
  done.then(
    (reply) => parentPort?.postMessage(reply, 'png' in reply ? [reply.png.buffer as ArrayBuffer] : []),
    (error: unknown) => parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
