import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-editions-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('galley verify', () => {
  it('passes on fresh outputs, then names the file after a one-byte change', async () => {
    const source = path.join(dir, 'verified.md');
    const out = path.join(dir, 'verify-out');
    await writeFile(source, '---\ntitle: Verified\ndate: 2024-03-01\n---\nText.\n');
    expect((await runCli('build', source, '--out', out)).code).toBe(0);

    const clean = await runCli('verify', out);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.lines).toEqual([`ok ${path.join(out, 'verified.pdf')}`, `ok ${path.join(out, 'verified.epub')}`, '2 of 2 files match their manifests']);

    const pdf = path.join(out, 'verified.pdf');
    const bytes = await readFile(pdf);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    await writeFile(pdf, bytes);
    const tampered = await runCli('verify', out);
    expect(tampered.code).toBe(1);
    expect(tampered.lines).toContain(`${pdf}: changed since it was built (its SHA-256 differs from the manifest)`);
    expect(tampered.lines.at(-1)).toBe('1 of 2 files match their manifests');
  });

  it('fails on a folder without manifests', async () => {
    const empty = await mkdtemp(path.join(dir, 'empty-'));
    const run = await runCli('verify', empty);
    expect(run).toMatchObject({ code: 1, lines: [`${empty}: no manifests here: build into this folder first`] });
  });
});

describe('galley build --archive', () => {
  it('keeps each edition, refuses to overwrite one with other bytes, and --force says that it did', async () => {
    const source = path.join(dir, 'paper.md');
    const out = path.join(dir, 'archive-out');
    await writeFile(source, '---\ntitle: Paper\nedition: 2\ndate: 2024-03-01\n---\nFirst text.\n');
    expect((await runCli('build', source, '--out', out, '--archive')).code).toBe(0);
    const folder = path.join(out, 'archive', 'paper', '2');
    expect((await readdir(folder)).sort()).toEqual(['paper.epub', 'paper.manifest.json', 'paper.pdf']);
    const archivedPdf = await readFile(path.join(folder, 'paper.pdf'));

    await writeFile(source, '---\ntitle: Paper\nedition: 2\ndate: 2024-03-01\n---\nChanged text, same edition.\n');
    const refused = await runCli('build', source, '--out', out, '--archive');
    expect(refused.code).toBe(1);
    expect(refused.lines).toEqual([
      `${source}: edition "2" is already archived in ${folder} with other contents: give this one a new edition, or replace it with --force`,
    ]);
    expect(await readFile(path.join(folder, 'paper.pdf'))).toEqual(archivedPdf);

    const forced = await runCli('build', source, '--out', out, '--archive', '--force');
    expect(forced.code).toBe(0);
    expect(forced.lines).toContain(`${source}: warning: --force replaced the archived ${path.join(folder, 'paper.pdf')}`);
    expect(await readFile(path.join(folder, 'paper.pdf'))).not.toEqual(archivedPdf);

    await writeFile(source, '---\ntitle: Paper\nedition: 3\ndate: 2024-04-01\n---\nThird edition.\n');
    expect((await runCli('build', source, '--out', out, '--archive')).code).toBe(0);
    expect((await readdir(path.join(out, 'archive', 'paper'))).sort()).toEqual(['2', '3']);
    expect((await runCli('verify', out)).code).toBe(0);
  });
});
