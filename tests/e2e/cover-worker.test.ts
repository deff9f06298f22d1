import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { CoverJob, CoverReply, WorkerMessage } from '../../src/cover/workers.js';

const WORKER = path.resolve('dist/cover-worker.js');
const TEMPLATE = path.resolve('templates/cover.svg');
const started: Worker[] = [];
afterAll(() => Promise.all(started.map((worker) => worker.terminate())));

/** Jobs as the build sends them: each its own title, so that each cover is drawn in full. */
async function jobs(count: number): Promise<CoverJob[]> {
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
      worker.on('message', (reply: WorkerMessage) => {
        peak = Math.max(peak, process.memoryUsage().rss);
        if ('running' in reply) return;
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

/** Minor page faults of one EPUB-only build of `count` articles, each with its own cover, counted by the bin's process as it exits. */
async function buildFaults(dir: string, count: number): Promise<number> {
  const sources = path.join(dir, `articles-${count}`);
  await mkdir(sources);
  for (let index = 1; index <= count; index++) {
    const body = `Paragraph ${index} of the dispatch, with a few more words to set.\n`;
    await writeFile(
      path.join(sources, `dispatch-${index}.md`),
      `---\ntitle: Dispatch ${index} from the border crossing\ndescription: What the envoy number ${index} saw on the way\nlang: en\n---\n\n${body}`,
    );
  }
  const { stderr } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      path.join(dir, 'faults.mjs'),
      path.resolve('bin/galley.js'),
      'build',
      sources,
      '--format',
      'epub',
      '--out',
      path.join(dir, `out-${count}`),
    ],
    { env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'MIMALLOC_PURGE_DELAY')) },
  );
  return Number(/^faults (\d+)$/m.exec(stderr)?.[1]);
}

describe("resvg's native allocator", () => {
  it('keeps the memory one cover freed for the next, instead of faulting in a new canvas each time', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-faults-'));
    try {
      await writeFile(
        path.join(dir, 'faults.mjs'),
        "process.on('exit', () => process.stderr.write('faults ' + process.resourceUsage().minorPageFault + '\\n'));\n",
      );
      const few = await buildFaults(dir, 4);
      const many = await buildFaults(dir, 16);
      // A 1600 × 2560 canvas is 4,000 pages. Given back to the system after each cover, each cover
      // cost about 5,300 page faults; kept, about 900.
      expect((many - few) / 12).toBeLessThan(2500);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
