import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesIn } from '../helpers/processes.js';

const BIN = path.resolve('bin/galley.js');
let docs: string;
const tmpDirs: string[] = [];

beforeAll(async () => {
  docs = await mkdtemp(path.join(os.tmpdir(), 'galley-signals-'));
  for (let index = 0; index < 20; index += 1) {
    await writeFile(path.join(docs, `note-${String(index).padStart(2, '0')}.md`), `# Note ${index}\n\n${'A short note. '.repeat(150)}\n`);
  }
});
afterAll(async () => {
  await Promise.all([docs, ...tmpDirs].map((dir) => rm(dir, { recursive: true, force: true })));
});

function secondsPass(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

// Each run has its own TMPDIR and output folder, so the four run at once: most of a test is the settling wait.
describe.concurrent('a signal to galley, and to galley alone (the compiled bin)', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    it(`${signal}: no Chrome is left running, and no temporary folder is left behind`, { timeout: 60_000 }, async () => {
      // Its own TMPDIR, so that what it leaves there is its own, whatever else runs.
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'galley-signals-tmp-'));
      tmpDirs.push(tmp);
      const child = spawn(process.execPath, [BIN, 'build', docs, '--out', path.join(docs, `out-${signal}`), '--force'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TMPDIR: tmp },
      });
      let stderr = '';
      const firstBuilt = new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('built ')) resolve();
        });
      });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, killedBy) => resolve({ code, signal: killedBy })),
      );
      await Promise.race([firstBuilt, exited]);
      expect(processesIn(tmp).length, stderr).toBeGreaterThan(0);

      child.kill(signal);
      const settled = secondsPass(3);
      const ended = await Promise.race([exited, secondsPass(30).then(() => undefined)]);
      if (!ended) child.kill('SIGKILL');
      await settled;

      expect(processesIn(tmp)).toEqual([]);
      expect(await readdir(tmp)).toEqual([]);
      if (signal === 'SIGKILL') expect(ended?.signal).toBe('SIGKILL');
      else expect(ended?.code, stderr).toBe(130);
    });
  }
});
