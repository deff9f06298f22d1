import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve('bin/galley.js');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-interrupt-'));
  for (let index = 0; index < 40; index += 1) {
    await writeFile(path.join(dir, `article-${String(index).padStart(2, '0')}.md`), `# Article ${index}\n\n${'Some text. '.repeat(400)}\n`);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Processes whose environment holds `marker`: a galley run and every browser it started. */
function processesMarked(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function secondsPass(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

describe('Ctrl-C during a batch (the compiled bin, as a user runs it)', () => {
  it('stops, closes Chrome, exits 130, and leaves only whole files', async () => {
    const out = path.join(dir, 'out');
    const marker = `GALLEY_TEST_RUN=${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [BIN, 'build', dir, '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GALLEY_TEST_RUN: marker.split('=')[1] },
    });
    let stderr = '';
    const browserPids: number[] = [];
    const firstBuilt = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('built ')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await firstBuilt;
    browserPids.push(...childPids(child.pid!));
    expect(browserPids.length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await Promise.race([exited, secondsPass(30).then(() => 'still running 30 s after Ctrl-C')]);
    if (typeof code === 'string') child.kill('SIGKILL');

    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/^interrupted: \d+ built, \d+ failed, \d+ not started in \d+\.\d s$/m);
    await secondsPass(0.5);
    expect(browserPids.filter(isAlive)).toEqual([]);
    expect(processesMarked(marker)).toEqual([]);
    const files = (await readdir(out)).filter((name) => name !== '.galley-cache');
    // The covers' cache, written as the outputs are, holds whole files only.
    const cached = await readdir(path.join(out, '.galley-cache', 'covers')).catch(() => [] as string[]);
    expect(cached.filter((name) => !/^[0-9a-f]{64}\.cover$/.test(name))).toEqual([]);
    expect(
      files.every((name) => /^article-\d\d\.(pdf|epub|manifest\.json)$/.test(name)),
      files.join(' '),
    ).toBe(true);
    const built = stderr.split('\n').filter((line) => line.startsWith('built ')).length;
    expect(files).toHaveLength(built * 3);
  });
});
