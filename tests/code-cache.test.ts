import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWithCache, runAsModule, writeCodeCache } from '../src/code-cache.js';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

async function scriptFile(source: string): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'code-cache-'));
  folders.push(folder);
  const file = path.join(folder, 'script.cjs');
  await writeFile(file, source);
  return file;
}

describe('a script run through the code cache', () => {
  it('runs as a module, whose exports and require work', async () => {
    const file = await scriptFile("exports.name = require('node:path').basename(__filename); exports.eol = require('node:os').EOL;");
    const loaded = runAsModule<{ name: string; eol: string }>(compileWithCache(file).script, file);
    expect(loaded).toEqual({ name: 'script.cjs', eol: os.EOL });
  });

  it('uses the cache it wrote, and not one older than its script', async () => {
    const file = await scriptFile('exports.twice = (n) => n * 2;');
    const first = compileWithCache(file);
    expect(first.cacheUsed).toBe(false);
    runAsModule<{ twice: (n: number) => number }>(first.script, file).twice(2);
    writeCodeCache(first.script, file);
    expect(compileWithCache(file).cacheUsed).toBe(true);

    // The same length with other code: V8 would take the cache, which would run the old code.
    await writeFile(file, 'exports.twice = (n) => n + 2;');
    const later = new Date(Date.now() + 5000);
    await utimes(file, later, later);
    const changed = compileWithCache(file);
    expect(changed.cacheUsed).toBe(false);
    expect(runAsModule<{ twice: (n: number) => number }>(changed.script, file).twice(3)).toBe(5);
  });

  it('ignores a cache that is not one', async () => {
    const file = await scriptFile('exports.x = 1;');
    await writeFile(`${file}.cache`, 'not a cache');
    const { script, cacheUsed } = compileWithCache(file);
    expect(cacheUsed).toBe(false);
    expect(runAsModule<{ x: number }>(script, file).x).toBe(1);
    expect(await readFile(`${file}.cache`, 'utf8')).toBe('not a cache');
  });
});
