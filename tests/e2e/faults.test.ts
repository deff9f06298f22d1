import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDisk, mountTmpfs, type Tmpfs } from '../output/tmpfs.js';
import { processesIn } from '../helpers/processes.js';

/** A 40-document batch, run by the compiled bin, with a fault injected while it builds. */
const BIN = path.resolve('bin/galley.js');
const COUNT = 40;
let root: string;
let docs: string;
let good: Map<string, Buffer>;

interface FaultyRun {
  code: number | null;
  stderr: string;
  tmp: string;
  /** Why the fault could not be injected. */
  faultError?: unknown;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'galley-faults-'));
  docs = path.join(root, 'docs');
  await mkdir(docs);
  for (let index = 0; index < COUNT; index += 1) {
    const text = `---\ntitle: Dispatch ${index}\nlang: en\ndate: 2024-05-01\n---\n\n${'A dispatch from the border, filed at dawn. '.repeat(30)}\n`;
    await writeFile(path.join(docs, `dispatch-${String(index).padStart(2, '0')}.md`), text);
  }
  const first = await buildWithFault(path.join(root, 'good'), async () => undefined);
  expect(first.code, first.stderr).toBe(0);
  good = await outputsIn(path.join(root, 'good'));
  expect(good.size).toBe(COUNT * 2);
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

async function outputsIn(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.pdf') || name.endsWith('.manifest.json'));
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name))] as const)));
}

/** Processes whose command line names `dir` (each Chrome of a run keeps its profile under its TMPDIR). */

/** Builds every document (--force, PDF only) into `out`, calling `fault` once the first is built. */
async function buildWithFault(out: string, fault: (tmp: string, pid: number) => Promise<void>): Promise<FaultyRun> {
  const tmp = await mkdtemp(path.join(root, 'tmp-'));
  const child = spawn(process.execPath, [BIN, 'build', docs, '--out', out, '--force', '--format', 'pdf', '--jobs', '2'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TMPDIR: tmp },
  });
  let stderr = '';
  let faulted: Promise<void> | undefined;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!faulted && stderr.includes('built ')) faulted = Promise.resolve().then(() => fault(tmp, child.pid!));
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  const faultError = await faulted?.then(
    () => undefined,
    (error: unknown) => error,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return { code, stderr, tmp, faultError };
}

/** What must hold after any fault: no Chrome, no temp folder, clear lines, and every output a good one. */
async function expectCleanAfter(run: FaultyRun, out: string): Promise<void> {
  expect(processesIn(run.tmp)).toEqual([]);
  expect(await readdir(run.tmp)).toEqual([]);
  expect(run.stderr).not.toContain('internal error');
  const outputs = await outputsIn(out).catch(() => new Map<string, Buffer>());
  for (const [name, bytes] of outputs) expect(bytes.equals(good.get(name)!), name).toBe(true);
  expect((await readdir(out).catch(() => [] as string[])).filter((name) => name.endsWith('.tmp'))).toEqual([]);
}

/** Kills Chrome's browser process, or one of its renderers; throws if there is none to kill. */
function kill(tmp: string, type: 'browser' | 'renderer'): void {
  const chrome = processesIn(tmp).filter((line) => /chrom/.test(line) && !line.includes('/bin/sh'));
  const target = chrome.find((line) => (type === 'browser' ? !line.includes('--type=') : line.includes('--type=renderer')));
  if (!target) throw new Error(`no ${type} to kill among:\n${chrome.join('\n')}`);
  process.kill(Number(target.split(/\s+/)[0]), 'SIGKILL');
}

describe('a 40-document batch survives its faults', () => {
  it('a killed browser: the documents it held fail with one clear line each, the rest build with a new one', {
    timeout: 120_000,
  }, async () => {
    const out = path.join(root, 'browser');
    const run = await buildWithFault(out, async (tmp) => kill(tmp, 'browser'));
    expect(run.faultError).toBeUndefined();
    expect([0, 1]).toContain(run.code);
    const failures = run.stderr.split('\n').filter((line) => line.startsWith(docs) && !line.includes('warning'));
    for (const line of failures) expect(line).toMatch(/^\S+\.md: the (browser stopped responding|page crashed)/);
    expect(run.stderr).toMatch(new RegExp(`${COUNT - failures.length} built, ${failures.length} failed`));
    expect(COUNT - failures.length).toBeGreaterThan(COUNT / 2);
    await expectCleanAfter(run, out);
  });

  it('a killed renderer: its document fails at once, and the others build', { timeout: 120_000 }, async () => {
    const out = path.join(root, 'renderer');
    const run = await buildWithFault(out, async (tmp) => kill(tmp, 'renderer'));
    expect(run.faultError).toBeUndefined();
    const failures = run.stderr.split('\n').filter((line) => line.startsWith(docs) && !line.includes('warning'));
    for (const line of failures) expect(line).toMatch(/^\S+\.md: the page crashed/);
    expect(failures.length).toBeLessThanOrEqual(2);
    expect(run.code).toBe(failures.length > 0 ? 1 : 0);
    await expectCleanAfter(run, out);
  });

  it('SIGHUP: the run stops with 130 and leaves what it had written whole', { timeout: 120_000 }, async () => {
    const out = path.join(root, 'hangup');
    const run = await buildWithFault(out, async (_tmp, pid) => {
      process.kill(pid, 'SIGHUP');
    });
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(/interrupted: \d+ built, \d+ failed, \d+ not started/);
    await expectCleanAfter(run, out);
  });

  describe('a full disk', () => {
    let disk: Tmpfs | string;
    beforeAll(async () => {
      disk = await mountTmpfs(path.join(root, 'disk'), 'size=4m');
    });
    afterAll(async () => {
      if (typeof disk !== 'string') await disk.unmount();
    });

    it('fails the documents it cannot hold, naming the folder, and keeps the last good editions', { timeout: 120_000 }, async (context) => {
      if (typeof disk === 'string') {
        console.warn(`skipping the full-disk batch: ${disk}`);
        return context.skip();
      }
      const out = path.join(disk.dir, 'out');
      await mkdir(out);
      for (const [name, bytes] of good) await writeFile(path.join(out, name), bytes);
      // Less room than one edition needs beside the one it replaces.
      await fillDisk(disk.dir, path.join(disk.dir, 'filler'), 8 * 1024);
      const run = await buildWithFault(out, async () => undefined);
      expect(run.code).toBe(1);
      const failures = run.stderr.split('\n').filter((line) => line.startsWith(docs) && !line.includes('warning'));
      expect(failures.length).toBeGreaterThan(0);
      for (const line of failures) expect(line).toMatch(/: cannot write .*: no space left on the device holding /);
      await expectCleanAfter(run, out);
      expect((await outputsIn(out)).size).toBe(COUNT * 2);
    });
  });
});
