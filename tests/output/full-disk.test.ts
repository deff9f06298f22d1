import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fillDisk, mountTmpfs, type Tmpfs } from './tmpfs.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-disk-'));
const full = await mountTmpfs(path.join(dir, 'full'), 'size=200k');
const readOnly = await mountTmpfs(path.join(dir, 'read-only'), 'size=200k');
afterAll(async () => {
  for (const disk of [full, readOnly]) if (typeof disk !== 'string') await disk.unmount();
  await rm(dir, { recursive: true, force: true });
});

/** `it` when the tmpfs is mounted, else `it.skip`, saying why. */
function onDisk(disk: Tmpfs | string): typeof it {
  if (typeof disk !== 'string') return it as typeof it;
  console.warn(`skipping a build onto a small tmpfs: ${disk}`);
  return it.skip as typeof it;
}

interface Edition {
  pdf: Buffer;
  manifest: Buffer;
  modified: number[];
}

/** Builds a small document into `out` with room to spare, and keeps what it wrote. */
async function buildFirstEdition(source: string, out: string): Promise<Edition> {
  await writeFile(source, '---\ntitle: Small\nlang: en\ndate: 2024-03-01\n---\nA few words.\n');
  const first = await runCli('build', source, '--out', out, '--format', 'pdf');
  expect(first.code, first.stderr).toBe(0);
  return readEdition(out);
}

async function readEdition(out: string): Promise<Edition> {
  const files = ['small.pdf', 'small.manifest.json'].map((name) => path.join(out, name));
  return {
    pdf: await readFile(files[0]!),
    manifest: await readFile(files[1]!),
    modified: await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs)),
  };
}

describe('a build that cannot write', () => {
  onDisk(full)('on a full disk fails in one line naming the folder, and keeps the last good edition', async () => {
    const disk = (full as Tmpfs).dir;
    const source = path.join(dir, 'full-disk', 'small.md');
    await mkdir(path.dirname(source));
    const out = path.join(disk, 'output');
    const before = await buildFirstEdition(source, out);

    await fillDisk(disk, path.join(disk, 'filler'), 8192);
    await writeFile(source, '---\ntitle: Small\nlang: en\ndate: 2024-03-01\n---\nA few more words, for a new edition.\n');
    const rebuilt = await runCli('build', source, '--out', out, '--format', 'pdf', '--force');
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.lines).toEqual([`${source}: cannot write ${path.join(out, 'small.pdf')}: no space left on the device holding ${out}/`]);
    expect(await readEdition(out)).toEqual(before);
    expect((await readdir(out)).sort()).toEqual(['small.manifest.json', 'small.pdf']);

    await rm(path.join(disk, 'filler'));
    const again = await runCli('build', source, '--out', out, '--format', 'pdf');
    expect(again.code, again.stderr).toBe(0);
    expect(again.lines.at(-1)).toMatch(/^built /);
  });

  onDisk(readOnly)('on a read-only file system fails in one line saying so, and keeps the last good edition', async () => {
    const disk = readOnly as Tmpfs;
    const source = path.join(dir, 'read-only-disk', 'small.md');
    await mkdir(path.dirname(source));
    const out = path.join(disk.dir, 'output');
    const before = await buildFirstEdition(source, out);

    await disk.remountReadOnly();
    const rebuilt = await runCli('build', source, '--out', out, '--format', 'pdf', '--force');
    expect(rebuilt.code).toBe(1);
    expect(rebuilt.lines).toEqual([`${source}: cannot write ${path.join(out, 'small.pdf')}: ${out}/ is on a read-only file system`]);
    expect(await readEdition(out)).toEqual(before);
    expect((await readdir(out)).sort()).toEqual(['small.manifest.json', 'small.pdf']);
  });
});
