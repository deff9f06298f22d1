import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GalleyError } from '../../src/errors.js';
import { commitOutputs } from '../../src/output/write.js';
import { fillDisk, mountTmpfs } from './tmpfs.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-write-'));
const small = await mountTmpfs(path.join(dir, 'small-disk'), 'size=64k');
const readOnly = await mountTmpfs(path.join(dir, 'read-only-disk'), 'ro,size=64k');
afterAll(async () => {
  for (const disk of [small, readOnly]) if (typeof disk !== 'string') await disk.unmount();
  await rm(dir, { recursive: true, force: true });
});

/** `it` when the tmpfs is mounted, else `it.skip`, saying why. */
function withDisk(disk: typeof small): typeof it {
  if (typeof disk !== 'string') return it as typeof it;
  console.warn(`skipping a tmpfs test: ${disk}`);
  return it.skip as typeof it;
}

const bytes = (size: number, fill: number) => Buffer.alloc(size, fill);

async function folderWith(name: string, files: Record<string, Buffer>): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(path.join(folder, file), content);
  return folder;
}

async function temporaryFiles(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true })).filter((name) => name.endsWith('.tmp'));
}

describe('commitOutputs', () => {
  it('writes every output, into new folders too, and leaves no temporary file', async () => {
    const folder = await folderWith('several', { 'a.pdf': bytes(10, 1) });
    const outputs = [
      { path: path.join(folder, 'a.pdf'), bytes: bytes(3000, 2) },
      { path: path.join(folder, 'archive', 'a', '2', 'a.epub'), bytes: bytes(5000, 3) },
      { path: path.join(folder, 'a.manifest.json'), bytes: Buffer.from('{}\n') },
    ];
    await commitOutputs(outputs);
    for (const output of outputs) expect(await readFile(output.path)).toEqual(output.bytes);
    expect(await temporaryFiles(folder)).toEqual([]);
  });

  it('fails in the middle without replacing any previous file or leaving a temporary one', async () => {
    const folder = await folderWith('middle', { 'a.pdf': bytes(100, 1), 'a.manifest.json': bytes(20, 2), blocker: bytes(1, 0) });
    const attempt = commitOutputs([
      { path: path.join(folder, 'a.pdf'), bytes: bytes(200, 7) },
      { path: path.join(folder, 'new', 'deeper', 'b.pdf'), bytes: bytes(200, 7) },
      { path: path.join(folder, 'blocker', 'a.epub'), bytes: bytes(200, 7) },
      { path: path.join(folder, 'a.manifest.json'), bytes: bytes(20, 7) },
    ]);
    await expect(attempt).rejects.toThrow(
      `cannot write ${path.join(folder, 'blocker', 'a.epub')}: a file is in the way of the folder ${path.join(folder, 'blocker')}/`,
    );
    expect(await readFile(path.join(folder, 'a.pdf'))).toEqual(bytes(100, 1));
    expect(await readFile(path.join(folder, 'a.manifest.json'))).toEqual(bytes(20, 2));
    expect(await temporaryFiles(folder)).toEqual([]);
    expect(existsSync(path.join(folder, 'new')), 'the folders made for the failed commit are gone').toBe(false);
  });

  it('refuses a target that is a folder before renaming anything', async () => {
    const folder = await folderWith('folder-target', { 'a.pdf': bytes(100, 1) });
    await mkdir(path.join(folder, 'a.epub'));
    const attempt = commitOutputs([
      { path: path.join(folder, 'a.pdf'), bytes: bytes(200, 7) },
      { path: path.join(folder, 'a.epub'), bytes: bytes(200, 7) },
    ]);
    await expect(attempt).rejects.toThrow(GalleyError);
    expect(await readFile(path.join(folder, 'a.pdf'))).toEqual(bytes(100, 1));
    expect(await temporaryFiles(folder)).toEqual([]);
  });

  withDisk(small)('on a full disk, fails with the folder named and keeps the previous files', async () => {
    const disk = (small as Exclude<typeof small, string>).dir;
    await writeFile(path.join(disk, 'a.pdf'), bytes(8192, 1));
    await writeFile(path.join(disk, 'a.manifest.json'), bytes(100, 2));
    const attempt = commitOutputs([
      { path: path.join(disk, 'a.pdf'), bytes: bytes(12_000, 7) },
      { path: path.join(disk, 'a.epub'), bytes: bytes(100_000, 7) },
      { path: path.join(disk, 'a.manifest.json'), bytes: bytes(100, 7) },
    ]);
    await expect(attempt).rejects.toThrow(`cannot write ${path.join(disk, 'a.epub')}: no space left on the device holding ${disk}/`);
    expect(await readFile(path.join(disk, 'a.pdf'))).toEqual(bytes(8192, 1));
    expect(await readFile(path.join(disk, 'a.manifest.json'))).toEqual(bytes(100, 2));
    expect((await readdir(disk)).sort()).toEqual(['a.manifest.json', 'a.pdf']);
  });

  withDisk(small)('does not take a short write for a whole one', async () => {
    const disk = path.join((small as Exclude<typeof small, string>).dir);
    await rm(path.join(disk, 'a.epub'), { force: true });
    await writeFile(path.join(disk, 'b.pdf'), bytes(4096, 1));
    await fillDisk(disk, path.join(disk, 'filler'), 8192);
    await expect(commitOutputs([{ path: path.join(disk, 'b.pdf'), bytes: bytes(20_000, 7) }])).rejects.toThrow(/no space left/);
    expect(await readFile(path.join(disk, 'b.pdf'))).toEqual(bytes(4096, 1));
    expect(await temporaryFiles(disk)).toEqual([]);
  });

  withDisk(readOnly)('on a read-only file system, says so', async () => {
    const disk = (readOnly as Exclude<typeof readOnly, string>).dir;
    const target = path.join(disk, 'a.pdf');
    await expect(commitOutputs([{ path: target, bytes: bytes(10, 1) }])).rejects.toThrow(
      `cannot write ${target}: ${disk}/ is on a read-only file system`,
    );
  });
});
