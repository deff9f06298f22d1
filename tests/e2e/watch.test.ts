import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { lineReporter } from '../../src/report/lines.js';
import type { BuildSummary } from '../../src/report/reporter.js';
import { watch } from '../../src/watch.js';
import { defaultOptions } from '../helpers/build.js';
import { PNG_1X1, writeCorpus } from '../helpers/fixtures.js';
import { readPdf } from '../helpers/pdf.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-watch-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function corpus(name: string, count: number): Promise<string> {
  return writeCorpus(path.join(dir, name), count, (index) => `doc-${String(index).padStart(2, '0')}.md`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A watch run in-process, with what it has printed so far. */
function startWatch(overrides: Parameters<typeof defaultOptions>[0]): {
  lines: string[];
  stop: AbortController;
  watching: Promise<BuildSummary>;
} {
  const lines: string[] = [];
  const stop = new AbortController();
  const watching = watch(
    defaultOptions(overrides),
    lineReporter((line) => lines.push(line)),
    stop.signal,
  );
  return { lines, stop, watching };
}

async function waitFor(lines: string[], predicate: () => boolean): Promise<void> {
  for (let waited = 0; !predicate(); waited += 25) {
    if (waited > 30_000) throw new Error(`waited in vain; the watch said:\n${lines.join('\n')}`);
    await sleep(25);
  }
}

/** Chromium processes this test process started and has not ended. */
function browsersLeftRunning(): number[] {
  let children: number[];
  try {
    children = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.filter((pid) => {
    try {
      return /chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8'));
    } catch {
      return false;
    }
  });
}

describe('galley watch', () => {
  it('rebuilds a document when it or its image is saved, and every document when a template is', async () => {
    const folder = await corpus('saved', 2);
    const templates = path.join(dir, 'saved-templates');
    await mkdir(templates, { recursive: true });
    await cp(path.join('templates', 'print.css'), path.join(templates, 'print.css'));
    const { lines, stop, watching } = startWatch({ paths: [folder], outDir: path.join(folder, 'out'), templatesDir: templates });
    const count = (prefix: string) => lines.filter((line) => line.startsWith(prefix)).length;

    try {
      await waitFor(lines, () => count('built ') === 2);
      await sleep(300); // let the watcher settle
      await writeFile(path.join(folder, 'doc-02.md'), '---\ntitle: Document 2\nlang: en\n---\nSaved again.\n');
      await waitFor(lines, () => count('built ') === 3);
      expect(lines.at(-1)).toMatch(/^built \S+doc-02\.md: \S+doc-02\.pdf \(1 page\), \S+doc-02\.epub \(\d+ chapters?\)$/);

      await writeFile(path.join(folder, 'dot.png'), Buffer.concat([PNG_1X1, Buffer.from([1])]));
      await waitFor(lines, () => count(`built ${path.join(folder, 'doc-01.md')}`) === 2);

      await writeFile(path.join(templates, 'print.css'), `${await readFile(path.join(templates, 'print.css'), 'utf8')}\n/* edited */\n`);
      await waitFor(lines, () => count('built ') === 6);
    } finally {
      stop.abort();
    }
    const summary = await watching;
    expect(summary.failed).toBe(0);
    expect((await readPdf(path.join(folder, 'out', 'doc-02.pdf'))).pages[0]).toContain('Saved again.');
  });

  it('rebuilds a book when a chapter or a file it includes is saved', async () => {
    const book = path.join(dir, 'book');
    await mkdir(book, { recursive: true });
    await writeFile(path.join(book, 'book.yaml'), 'title: Watched book\nlang: en\nchapters: [one.md, two.md]\n');
    await writeFile(path.join(book, 'one.md'), '# One\n\nThe first chapter.\n');
    await writeFile(path.join(book, 'two.md'), '# Two\n\n```text\n{{#include listing.txt}}\n```\n');
    await writeFile(path.join(book, 'listing.txt'), 'first listing\n');
    const out = path.join(dir, 'book-out');
    const { lines, stop, watching } = startWatch({ paths: [book], outDir: out, formats: ['pdf'] });
    const built = () => lines.filter((line) => line.startsWith(`built ${book}: `)).length;
    try {
      await waitFor(lines, () => built() === 1);
      await sleep(300); // let the watcher settle
      await writeFile(path.join(book, 'listing.txt'), 'second listing\n');
      await waitFor(lines, () => built() === 2);
      expect((await readPdf(path.join(out, 'book.pdf'))).pages.join('\n')).toContain('second listing');
      await writeFile(path.join(book, 'one.md'), '# One\n\nThe first chapter, saved again.\n');
      await waitFor(lines, () => built() === 3);
    } finally {
      stop.abort();
    }
    expect((await watching).failed).toBe(0);
  });

  it('stops its first build at Ctrl-C, closes everything and exits 130', async () => {
    const folder = await corpus('interrupted', 10);
    const out = path.join(folder, 'out');
    const stop = new AbortController();
    let stderr = '';
    const io = {
      stdout: () => undefined,
      stderr: (text: string) => {
        stderr += text;
        // The first line is the first document built; the second document is under way.
        stop.abort();
      },
    };
    const exited = main(['node', 'galley', 'watch', folder, '--out', out, '--jobs', '2'], io, stop.signal);
    const code = await Promise.race([exited, sleep(60_000).then(() => 'still watching 60 s after Ctrl-C')]);

    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/^interrupted: \d+ built, \d+ failed, \d+ not started in \d+\.\d s$/m);
    const built = (await readdir(out)).filter((name) => name.endsWith('.pdf'));
    expect(built.length).toBeGreaterThan(0);
    expect(built.length).toBeLessThan(10);
    expect(browsersLeftRunning()).toEqual([]);
  });

  it('rebuilds a document that failed on a missing image when the image appears', async () => {
    const folder = path.join(dir, 'missing-image');
    await mkdir(folder, { recursive: true });
    const doc = path.join(folder, 'doc.md');
    await writeFile(doc, '---\ntitle: Dot\nlang: en\n---\nA dot:\n\n![x](img/dot.png)\n');
    // The document alone is watched, not its folder: the watch must add the folder itself.
    const { lines, stop, watching } = startWatch({ paths: [doc], outDir: path.join(dir, 'missing-image-out') });

    try {
      await waitFor(lines, () => lines.includes(`${doc}:7: image "img/dot.png" not found`));
      await sleep(300); // let the watcher settle
      await mkdir(path.join(folder, 'img'));
      await writeFile(path.join(folder, 'img', 'dot.png'), PNG_1X1);
      await waitFor(lines, () => lines.some((line) => line.startsWith(`built ${doc}: `)));
    } finally {
      stop.abort();
    }
    expect((await watching).failed).toBe(0);
  });
});
