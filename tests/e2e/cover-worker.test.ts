import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoverJob, CoverReply } from '../../src/cover/workers.js';

const WORKER = path.resolve('dist/cover-worker.js');
const TEMPLATE = path.resolve('templates/cover.svg');
const started: Worker[] = [];
afterAll(() => Promise.all(started.map((worker) => worker.terminate())));

/** Jobs as the build sends them: each its own title, so that each cover is drawn in full. */
async function jobs(count: number): Promise<CoverJob[]> {
  const { readFile } = await import('node:fs/promises');
  const source = await readFile(TEMPLATE, 'utf8');
  return Array.from({ length: count }, (_, index) => ({
    id: index,
    book: {
      title: `Dispatch number ${index + 1} from the border`,
      authors: ['Jane Doe'],
      dateText: 'December 17, 2023',
      lang: 'en',
      dir: 'ltr',
    },
    file: TEMPLATE,
    source,
  }));
}

describe("the bundle's cover worker", () => {
  it('draws covers asked for all at once without holding on to each painted picture', async () => {
    const worker = new Worker(WORKER);
    started.push(worker);
    const asked = await jobs(16);
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const replies = await new Promise<CoverReply[]>((resolve, reject) => {
      const got: CoverReply[] = [];
      worker.on('message', (reply: CoverReply) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        got.push(reply);
        if (got.length === asked.length) resolve(got);
      });
      worker.on('error', reject);
      for (const job of asked) worker.postMessage(job);
    });
    clearInterval(sampler);
    expect(replies.map((reply) => ('cover' in reply ? reply.id : reply.error)).sort((a, b) => Number(a) - Number(b))).toEqual(
      asked.map((job) => job.id),
    );
    // Each painted cover is 32 MB outside V8's heap (the picture and its pixels): held until the last
    // was drawn, 16 covers grew the process by about 550 MB; let go after each, by about 100 MB.
    expect((peak - before) / 2 ** 20).toBeLessThan(250);
  });
});
