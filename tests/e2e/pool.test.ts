import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { killRemoteChrome, type RemoteChrome, startRemoteChrome, stopRemoteChrome } from '../helpers/remote-chrome.js';

let dir: string;
let docs: string;
const COUNT = 12;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-pool-'));
  docs = path.join(dir, 'docs');
  await mkdir(docs);
  for (let index = 1; index <= COUNT; index += 1) {
    const text = `---\ntitle: Report ${index}\nlang: en\n---\n\nThe river report number ${index}, for the archive.\n\n## Readings\n\nAll readings were taken at dawn.\n`;
    await writeFile(path.join(docs, `report-${String(index).padStart(2, '0')}.md`), text);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const pdfsIn = async (out: string) => (await readdir(out).catch(() => [])).filter((name) => name.endsWith('.pdf'));

describe('a pool of browsers (--browser-ws, given more than once)', () => {
  let first: RemoteChrome;
  let second: RemoteChrome;
  beforeAll(async () => {
    [first, second] = await Promise.all([startRemoteChrome(), startRemoteChrome()]);
  });
  afterAll(async () => {
    await Promise.all([stopRemoteChrome(first), stopRemoteChrome(second)]);
  });

  it('spreads the documents over the browsers; one killed in the middle is dropped, and its documents are built on the other', async () => {
    const out = path.join(dir, 'killed');
    const building = runCli(
      'build',
      docs,
      '--out',
      out,
      '--format',
      'pdf',
      '--jobs',
      '1',
      '--browser-ws',
      first.endpoint,
      '--browser-ws',
      second.endpoint,
      '--json',
    );
    while ((await pdfsIn(out)).length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await killRemoteChrome(first);
    const run = await building;
    expect(run.code, run.stderr).toBe(0);
    expect((await pdfsIn(out)).sort()).toHaveLength(COUNT);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ built: COUNT, failed: 0, browsersDropped: [first.endpoint] });
    expect(report.browser).toContain(first.endpoint);
    expect(report.browser).toContain(second.endpoint);
    const dropped = run.lines.filter((line) => line.startsWith('--browser-ws'));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatch(
      new RegExp(`^--browser-ws ${first.endpoint}: dropped \\(.+\\); its documents are built on the other browsers$`),
    );
    expect(second.process.exitCode).toBeNull();
  });

  it('drops an endpoint that cannot be reached with one line, and the others carry on', async () => {
    const out = path.join(dir, 'unreachable');
    const nowhere = 'ws://127.0.0.1:9/devtools/browser/nobody-here';
    const run = await runCli('build', docs, '--out', out, '--format', 'pdf', '--browser-ws', nowhere, '--browser-ws', second.endpoint);
    expect(run.code, run.stderr).toBe(0);
    expect(await pdfsIn(out)).toHaveLength(COUNT);
    expect(run.lines.filter((line) => line.startsWith('--browser-ws'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^--browser-ws ${nowhere}: dropped \\(could not connect to the browser at ${nowhere}.*\\); its documents are built on the other browsers$`,
        ),
      ),
    ]);
  });

  it('fails every document, each with one line, when no browser is left', async () => {
    const out = path.join(dir, 'none');
    const run = await runCli('build', docs, '--out', out, '--format', 'pdf', '--browser-ws', 'ws://127.0.0.1:9/devtools/browser/gone');
    expect(run.code).toBe(1);
    const failures = run.lines.filter((line) => line.startsWith(docs));
    expect(failures).toHaveLength(COUNT);
    for (const line of failures)
      expect(line).toMatch(/^\S+report-\d\d\.md: (could not connect to the browser at ws:\/\/127\.0\.0\.1:9|no browser is left)/);
    expect(await pdfsIn(out)).toEqual([]);
  });
});
