import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { expect, inject, it } from 'vitest';

it('runs every worker, and what it starts, in the TMPDIR of its own that the global setup made', () => {
  const dir = inject('runTmpdir');
  expect(dir).toMatch(/[/\\]galley-tests-[^/\\]+$/);
  expect(os.tmpdir()).toBe(dir);
  expect(spawnSync(process.execPath, ['-p', 'require("node:os").tmpdir()'], { encoding: 'utf8' }).stdout.trim()).toBe(dir);
});
