import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { allowHeapBound, HEAP_GROWING_PERCENT, heapGrowthChosen } from '../src/heap-growth.js';
import { runCli } from './helpers/cli.js';

describe('the heap growth galley sets for a batch', () => {
  it("gives way to the user's own, on node's command line, in either spelling", () => {
    expect(heapGrowthChosen(['--heap-growing-percent=20'])).toBe(true);
    expect(heapGrowthChosen(['--max-old-space-size=512', '--heap_growing_percent=35'])).toBe(true);
  });

  it('is set when the user chose none', () => {
    expect(heapGrowthChosen([])).toBe(false);
    expect(heapGrowthChosen(['--enable-source-maps', '--max-old-space-size=512'])).toBe(false);
    expect(heapGrowthChosen(['--heap-growing-percentage=5'])).toBe(false);
  });

  it('is set once, by a batch, and never by a run of one document', async () => {
    // V8's flags are this whole process's: the heap's is caught, not set; others (the cover's --expose-gc) pass.
    const setFlagsFromString = v8.setFlagsFromString.bind(v8);
    const heapFlags: string[] = [];
    const setFlags = vi.spyOn(v8, 'setFlagsFromString').mockImplementation((flags) => {
      if (flags.startsWith('--heap-growing-percent')) heapFlags.push(flags);
      else setFlagsFromString(flags);
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-heap-'));
    try {
      allowHeapBound();
      for (const name of ['one', 'two', 'three']) await writeFile(path.join(dir, `${name}.md`), `# ${name}\n\nText of ${name}.\n`);
      const out = path.join(dir, 'out');
      const single = await runCli('build', path.join(dir, 'one.md'), '--format', 'epub', '--out', out);
      expect(single.code, single.stderr).toBe(0);
      expect(heapFlags).toEqual([]);
      for (const run of [1, 2])
        expect((await runCli('build', dir, '--format', 'epub', '--out', out, '--force')).code, `run ${run}`).toBe(0);
      expect(heapFlags).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    } finally {
      setFlags.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
