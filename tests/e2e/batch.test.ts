import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Builder } from '../../src/build.js';
import { lineReporter } from '../../src/report/lines.js';
import type { BuildSummary } from '../../src/report/reporter.js';
import { defaultOptions } from '../helpers/build.js';
import { runCli } from '../helpers/cli.js';
import { readPdf } from '../helpers/pdf.js';
import { PNG_1X1, writeCorpus } from '../helpers/fixtures.js';
import { type RemoteChrome, startRemoteChrome, stopRemoteChrome } from '../helpers/remote-chrome.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-batch-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function corpus(name: string, count: number): Promise<string> {
  return writeCorpus(path.join(dir, name), count);
}

async function run(builder: Builder, files: string[], force = false): Promise<{ summary: BuildSummary; lines: string[] }> {
  const lines: string[] = [];
  const summary = await builder.run(
    files,
    lineReporter((line) => lines.push(line)),
    { force },
  );
  return { summary, lines };
}

describe('incremental builds', () => {
  it('skips what has not changed without starting the browser, and rebuilds what has', async () => {
    const folder = await corpus('incremental', 3);
    const templates = path.join(dir, 'incremental-templates');
    await mkdir(templates, { recursive: true });
    await writeFile(path.join(templates, 'print.css'), 'body { font-size: 11pt; }');
    const files = [1, 2, 3].map((index) => path.join(folder, `doc-${index}.md`));
    const options = defaultOptions({ paths: [folder], outDir: path.join(folder, 'out'), templatesDir: templates });

    const first = (await Builder.create(options, []))!;
    const second = (await Builder.create(options, []))!;
    try {
      expect((await run(first, files)).summary).toMatchObject({ built: 3, unchanged: 0, failed: 0 });

      const unchanged = await run(second, files);
      expect(unchanged.summary).toMatchObject({ built: 0, unchanged: 3, failed: 0 });
      expect(unchanged.lines.slice(0, 3).sort()).toEqual(files.map((file) => `unchanged ${file}`));
      expect(second.browserLaunches).toBe(0);

      await writeFile(files[1]!, '---\ntitle: Document 2\n---\nEdited text.\n');
      await writeFile(path.join(folder, 'dot.png'), Buffer.concat([PNG_1X1, Buffer.from([0])]));
      expect((await run(second, files)).summary).toMatchObject({ built: 2, unchanged: 1 });
      expect(second.browserLaunches).toBeGreaterThan(0);

      await writeFile(path.join(templates, 'print.css'), 'body { font-size: 12pt; }');
      await second.reloadTemplates();
      expect((await run(second, files)).summary).toMatchObject({ built: 3, unchanged: 0 });
      expect((await run(second, files, true)).summary).toMatchObject({ built: 3, unchanged: 0 });
    } finally {
      await first.close();
      await second.close();
    }

    const manifest = JSON.parse(await readFile(path.join(folder, 'out', 'doc-1.manifest.json'), 'utf8'));
    expect(manifest.outputs.map((output: { file: string }) => output.file)).toEqual(['doc-1.pdf', 'doc-1.epub']);
    expect(Object.keys(manifest.inputs.images)).toEqual(['dot.png']);
  });
});

describe('reports', () => {
  it("--json prints each document's outputs, pages, chapters, bytes, time and warnings on stdout", async () => {
    const folder = await corpus('json', 2);
    await writeFile(path.join(folder, 'doc-2.md'), '---\ntitle: Two\nlang: en\nlayout: wide\n---\nText.\n');
    const result = await runCli('build', folder, '--out', path.join(folder, 'out'), '--json', '--quiet');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ built: 2, unchanged: 0, failed: 0, interrupted: false });
    expect(report.browser).toMatch(/^Chrome \d+\.\d+\.\d+\.\d+( \(headless shell\))?, \/\S+$/);
    const byName = Object.fromEntries(report.documents.map((document: { source: string }) => [path.basename(document.source), document]));
    expect(byName['doc-2.md'].warnings).toEqual([
      `${path.join(folder, 'doc-2.md')}:4: warning: unknown front matter key "layout" is ignored`,
    ]);
    for (const document of report.documents) {
      expect(document.status).toBe('built');
      expect(document.ms).toBeGreaterThan(0);
      const [pdf, epub] = document.outputs;
      expect(pdf).toMatchObject({ format: 'pdf', pages: 1 });
      expect(epub).toMatchObject({ format: 'epub', chapters: expect.any(Number) });
      for (const output of document.outputs) {
        expect(output.bytes).toBe((await readFile(output.path)).byteLength);
        expect(output.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  it('--quiet prints only errors', async () => {
    const folder = await corpus('quiet', 2);
    await writeFile(path.join(folder, 'doc-2.md'), '');
    const result = await runCli('build', folder, '--out', path.join(folder, 'out'), '--quiet');
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([`${path.join(folder, 'doc-2.md')}:1: the file is empty`]);
  });
});

describe('a remote browser', () => {
  let chromium: RemoteChrome;
  let endpoint: string;
  beforeAll(async () => {
    chromium = await startRemoteChrome('/usr/bin/chromium');
    endpoint = chromium.endpoint;
  });
  afterAll(() => stopRemoteChrome(chromium));

  it('--browser-ws prints with a running Chrome and leaves it running, as it was', async () => {
    const folder = await corpus('remote-browser', 2);
    const result = await runCli('build', folder, '--out', path.join(folder, 'out'), '--browser-ws', endpoint);
    expect(result.code, result.stderr).toBe(0);
    expect((await readdir(path.join(folder, 'out'))).filter((name) => name.endsWith('.pdf')).sort()).toEqual(['doc-1.pdf', 'doc-2.pdf']);
    expect((await readPdf(path.join(folder, 'out', 'doc-1.pdf'))).pages[0]).toContain('Text of document 1.');
    expect(chromium.process.exitCode).toBeNull();
    const browser = await puppeteer.connect({ browserWSEndpoint: endpoint });
    try {
      expect((await browser.pages()).map((page) => page.url())).toEqual(['about:blank']);
      expect(browser.browserContexts()).toHaveLength(1);
    } finally {
      await browser.disconnect();
    }
  });
});
