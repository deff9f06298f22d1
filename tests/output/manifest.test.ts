import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isUpToDate, readManifest, readRecordedOutput, sha256, type Manifest } from '../../src/output/manifest.js';

const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-manifest-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const HASH = sha256('x');
const pdfBytes = Buffer.from('%PDF-1.7 pretend\n');

function goodManifest(): Manifest {
  return {
    manifest: 1,
    source: { file: 'paper.md', sha256: HASH },
    inputs: { galley: '0.1.0', options: { formats: ['pdf'] }, templates: HASH, source: HASH, images: {}, sourceDateEpoch: null },
    inputsSha256: HASH,
    outputs: [{ format: 'pdf', file: 'paper.pdf', sha256: sha256(pdfBytes), bytes: pdfBytes.byteLength, pages: 1 }],
  };
}

async function manifestFile(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, `${name}.manifest.json`);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function withOutput(change: Record<string, unknown>): unknown {
  const manifest = goodManifest();
  return { ...manifest, outputs: [{ ...manifest.outputs[0], ...change }] };
}

describe('readManifest', () => {
  it('reads a good manifest', async () => {
    expect(await readManifest(await manifestFile('good', goodManifest()))).toEqual({ manifest: goodManifest() });
  });

  it.each([
    ['missing file', undefined, 'missing'],
    ['not JSON', '{"manifest":', /^is not JSON \(/],
    ['not an object', '"text"', 'is not a galley manifest (not a JSON object)'],
    ['only a version', { manifest: 1 }, 'source is missing'],
    ['another version', { ...goodManifest(), manifest: 2 }, 'manifest is 2, not a manifest version this galley reads'],
    ['a path out of the folder', withOutput({ file: '../../etc/passwd' }), 'outputs[0].file "../../etc/passwd" leaves the folder'],
    ['an absolute path', withOutput({ file: '/etc/passwd' }), 'outputs[0].file "/etc/passwd" is an absolute path'],
    ['a Windows path', withOutput({ file: 'C:/Windows/win.ini' }), 'outputs[0].file "C:/Windows/win.ini" is an absolute path'],
    ['a backslash', withOutput({ file: '..\\..\\etc\\passwd' }), 'outputs[0].file "..\\\\..\\\\etc\\\\passwd" contains a backslash'],
    ['a NUL', withOutput({ file: 'paper.pdf\u0000.txt' }), 'outputs[0].file "paper.pdf\\u0000.txt" contains a control character'],
    ['a dot segment', withOutput({ file: './paper.pdf' }), 'outputs[0].file "./paper.pdf" is not a plain relative path'],
    ['an unknown format', withOutput({ format: 'docx' }), 'outputs[0].format must be one of pdf, epub'],
    ['a short hash', withOutput({ sha256: 'abc' }), 'outputs[0].sha256 must be a SHA-256 (64 lowercase hexadecimal digits)'],
    ['negative bytes', withOutput({ bytes: -1 }), 'outputs[0].bytes must not be negative'],
    ['fractional bytes', withOutput({ bytes: 1.5 }), 'outputs[0].bytes must be a whole number of bytes'],
    ['outputs not a list', { ...goodManifest(), outputs: {} }, 'outputs must be a list'],
  ])('says what is wrong with %s', async (name, content, problem) => {
    const file = content === undefined ? path.join(dir, 'none.manifest.json') : await manifestFile(name.replace(/\W+/g, '-'), content);
    const reading = await readManifest(file);
    expect(reading.manifest).toBeUndefined();
    if (typeof problem === 'string') expect(reading.problem).toBe(problem);
    else expect(reading.problem).toMatch(problem);
  });
});

describe('isUpToDate', () => {
  it('is true only for a good manifest whose outputs are there, as regular files', async () => {
    const folder = await mkdtemp(path.join(dir, 'up-to-date-'));
    await writeFile(path.join(folder, 'paper.pdf'), pdfBytes);
    expect(await isUpToDate(goodManifest(), HASH, folder)).toBe(true);
    expect(await isUpToDate(undefined, HASH, folder)).toBe(false);
    expect(await isUpToDate(goodManifest(), sha256('other inputs'), folder)).toBe(false);
    await rm(path.join(folder, 'paper.pdf'));
    await symlink('/etc/hostname', path.join(folder, 'paper.pdf'));
    expect(await isUpToDate(goodManifest(), HASH, folder)).toBe(false);
  });
});

describe('readRecordedOutput', () => {
  it('reads inside the folder, and never through a link that leads out of it', async () => {
    const folder = await mkdtemp(path.join(dir, 'recorded-'));
    await writeFile(path.join(folder, 'paper.pdf'), pdfBytes);
    await symlink('/etc/passwd', path.join(folder, 'stolen.pdf'));
    expect(await readRecordedOutput(folder, 'paper.pdf')).toEqual({ bytes: pdfBytes });
    expect(await readRecordedOutput(folder, 'stolen.pdf')).toEqual({ problem: 'is a link to a file outside the folder' });
    expect(await readRecordedOutput(folder, 'gone.pdf')).toEqual({ problem: 'missing' });
  });
});
