import { parentPort } from 'node:worker_threads';
import { paintInThisThread, warmUp } from './paint.js';

/** The worker thread that paints covers (see painter.ts): an SVG in, a PNG or a message out. */
parentPort?.on('message', (message: { id: number; svg: string } | { warmUp: true }) => {
  if ('warmUp' in message) return void warmUp();
  const { id, svg } = message;
  paintInThisThread(svg).then(
    (png) => parentPort?.postMessage({ id, png }, [png.buffer as ArrayBuffer]),
    (error: unknown) => parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
