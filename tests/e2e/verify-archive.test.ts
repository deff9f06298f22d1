import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
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
    expect(clean.lines).toEqual([
      `ok ${path.join(out, 'verified.pdf')} (claims PDF/A-3a, PDF/UA-1)`,
      `ok ${path.join(out, 'verified.epub')}`,
      '2 of 2 files match their manifests',
    ]);

    const pdf = path.join(out, 'verified.pdf');
    const bytes = await readFile(pdf);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x01;
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

  it('reports a broken or tampered manifest in one line, reads nothing outside the folder, and checks the others', async () => {
    const source = path.join(dir, 'kept.md');
    const out = path.join(dir, 'verify-tampered');
    await writeFile(source, '---\ntitle: Kept\ndate: 2024-03-01\n---\nText.\n');
    expect((await runCli('build', source, '--out', out)).code).toBe(0);
    const good = JSON.parse(await readFile(path.join(out, 'kept.manifest.json'), 'utf8'));
    const passwd = await stat('/etc/passwd');
    const pointingAt = (file: string) => ({ ...good, outputs: [{ ...good.outputs[0], file, bytes: 1 }] });
    await writeFile(path.join(out, 'broken.manifest.json'), '{"manifest":1}');
    await writeFile(path.join(out, 'escape.manifest.json'), JSON.stringify(pointingAt('../../etc/passwd')));
    await writeFile(path.join(out, 'linked.manifest.json'), JSON.stringify(pointingAt('linked.pdf')));
    await symlink('/etc/passwd', path.join(out, 'linked.pdf'));

    const run = await runCli('verify', out);
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      `${path.join(out, 'broken.manifest.json')}: source is missing`,
      `${path.join(out, 'escape.manifest.json')}: outputs[0].file "../../etc/passwd" leaves the folder`,
      `ok ${path.join(out, 'kept.pdf')} (claims PDF/A-3a, PDF/UA-1)`,
      `ok ${path.join(out, 'kept.epub')}`,
      `${path.join(out, 'linked.pdf')}: is a link to a file outside the folder`,
      '2 of 5 files match their manifests',
    ]);
    expect(run.stderr + run.stdout).not.toContain(`${passwd.size} bytes`);
  });
});

describe('galley build --archive', () => {
  it('keeps each edition, refuses to overwrite one with other bytes (--force too), and --replace-archived says that it did', async () => {
    const source = path.join(dir, 'paper.md');
    const out = path.join(dir, 'archive-out');
    await writeFile(source, '---\ntitle: Paper\nedition: 2\ndate: 2024-03-01\n---\nFirst text.\n');
    expect((await runCli('build', source, '--out', out, '--archive')).code).toBe(0);
    const folder = path.join(out, 'archive', 'paper', '2');
    expect((await readdir(folder)).sort()).toEqual(['paper.epub', 'paper.manifest.json', 'paper.pdf']);
    const archivedPdf = await readFile(path.join(folder, 'paper.pdf'));

    await writeFile(source, '---\ntitle: Paper\nedition: 2\ndate: 2024-03-01\n---\nChanged text, same edition.\n');
    const refusal = `${source}: edition "2" is already archived in ${folder} with other contents: give this one a new edition, or replace it with --replace-archived`;
    const refused = await runCli('build', source, '--out', out, '--archive');
    expect(refused.code).toBe(1);
    expect(refused.lines).toEqual([refusal]);
    expect(await readFile(path.join(folder, 'paper.pdf'))).toEqual(archivedPdf);

    const forced = await runCli('build', source, '--out', out, '--archive', '--force');
    expect(forced.code).toBe(1);
    expect(forced.lines).toEqual([refusal]);
    expect(await readFile(path.join(folder, 'paper.pdf'))).toEqual(archivedPdf);

    const replaced = await runCli('build', source, '--out', out, '--archive', '--replace-archived');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.lines).toContain(`${source}: warning: --replace-archived replaced the archived ${path.join(folder, 'paper.pdf')}`);
    expect(await readFile(path.join(folder, 'paper.pdf'))).not.toEqual(archivedPdf);

    await writeFile(source, '---\ntitle: Paper\nedition: 3\ndate: 2024-04-01\n---\nThird edition.\n');
    expect((await runCli('build', source, '--out', out, '--archive')).code).toBe(0);
    expect((await readdir(path.join(out, 'archive', 'paper'))).sort()).toEqual(['2', '3']);
    expect((await runCli('verify', out)).code).toBe(0);
  });

  it('writes nothing at all when it refuses, so the next run rebuilds', async () => {
    const source = path.join(dir, 'refused.md');
    const out = path.join(dir, 'archive-refused');
    await writeFile(source, '---\ntitle: Refused\nedition: 1\ndate: 2024-03-01\n---\nFirst text.\n');
    expect((await runCli('build', source, '--out', out, '--archive')).code).toBe(0);
    const names = ['refused.pdf', 'refused.epub', 'refused.manifest.json'];
    const snapshot = () =>
      Promise.all(
        names.map(async (name) => ({
          name,
          bytes: await readFile(path.join(out, name)),
          mtime: (await stat(path.join(out, name))).mtimeMs,
        })),
      );
    const before = await snapshot();

    await writeFile(source, '---\ntitle: Refused\nedition: 1\ndate: 2024-03-01\n---\nOther text, same edition.\n');
    const refused = await runCli('build', source, '--out', out, '--archive');
    expect(refused.code).toBe(1);
    expect(refused.lines).toHaveLength(1);
    expect(refused.lines[0]).toMatch(/is already archived in .* with other contents/);
    expect(await snapshot()).toEqual(before);
    expect((await readdir(out)).sort()).toEqual(['.galley-cache', 'archive', ...names].sort());

    const next = await runCli('build', source, '--out', out);
    expect(next.code, next.stderr).toBe(0);
    expect(next.lines.at(-1)).toMatch(/^built /);
  });

  it('does not copy into the archive a file outside the folder that a tampered manifest names', async () => {
    const source = path.join(dir, 'leaky.md');
    const out = path.join(dir, 'archive-tampered');
    const secret = path.join(dir, 'secret.txt');
    await writeFile(secret, 'not for the archive\n');
    await writeFile(source, '---\ntitle: Leaky\nedition: 1\ndate: 2024-03-01\n---\nText.\n');
    expect((await runCli('build', source, '--out', out, '--format', 'pdf')).code).toBe(0);
    const manifestFile = path.join(out, 'leaky.manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    const secretBytes = await readFile(secret);
    const stolen = {
      format: 'pdf',
      file: '../secret.txt',
      sha256: createHash('sha256').update(secretBytes).digest('hex'),
      bytes: secretBytes.byteLength,
    };
    await writeFile(manifestFile, JSON.stringify({ ...manifest, outputs: [...manifest.outputs, stolen] }));

    const run = await runCli('build', source, '--out', out, '--archive', '--format', 'pdf');
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.at(-1)).toMatch(/^built /);
    const folder = path.join(out, 'archive', 'leaky', '1');
    expect((await readdir(folder)).sort()).toEqual(['leaky.manifest.json', 'leaky.pdf']);
    for (const name of await readdir(folder)) expect((await readFile(path.join(folder, name))).includes(secretBytes)).toBe(false);
  });
});
