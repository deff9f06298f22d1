import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEpub } from '../helpers/epub.js';

const run = promisify(execFile);
const BIN = path.resolve('bin/galley.js');

let dir: string;
let out: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-rebuild-'));
  out = path.join(dir, 'out');
  await mkdir(path.join(dir, 'docs', 'images'), { recursive: true });
  await writeFile(
    path.join(dir, 'docs', 'images', 'dot.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>',
  );
  await writeFile(
    path.join(dir, 'docs', 'dated.md'),
    '---\ntitle: Dated\nlang: en\ndate: 2025-05-01\n---\n\nA dated note, with a figure.\n\n![A dot](images/dot.svg)\n',
  );
  await writeFile(path.join(dir, 'docs', 'undated.md'), "---\ntitle: Undated\nlang: en\n---\n\nA note whose date is its file's.\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Builds the folder with the bin and its timeline: which documents were read (parsed), and what each became. */
async function build(): Promise<{ read: string[]; status: Record<string, string>; browser: string | undefined }> {
  const { stdout, stderr } = await run(process.execPath, [BIN, 'build', path.join(dir, 'docs'), '--out', out, '--json'], {
    env: { ...process.env, GALLEY_TRACE: '1' },
  });
  const read = [...stderr.matchAll(/^trace +\d+ ms {2}(\S+): read$/gm)].map((match) => match[1]!).sort();
  const report = JSON.parse(stdout) as { documents: { source: string; status: string }[]; browser?: string };
  const status = Object.fromEntries(report.documents.map((document) => [path.basename(document.source, '.md'), document.status]));
  return { read, status, browser: report.browser };
}

describe('a rebuild checks before it parses', () => {
  it('tells unchanged documents from their manifests alone, without parsing them or starting a browser', async () => {
    expect((await build()).status).toEqual({ dated: 'built', undated: 'built' });
    const again = await build();
    expect(again.status).toEqual({ dated: 'unchanged', undated: 'unchanged' });
    expect(again.read).toEqual([]);
    expect(again.browser).toBeUndefined();
  });

  it('parses and rebuilds a document whose image changed, and only that one', async () => {
    await writeFile(
      path.join(dir, 'docs', 'images', 'dot.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="8" height="8"/></svg>',
    );
    const after = await build();
    expect(after.status).toEqual({ dated: 'built', undated: 'unchanged' });
    expect(after.read).toEqual(['dated']);
  });

  it('rebuilds a document whose dates come from its file when the file is touched, and not a dated one', async () => {
    const later = new Date('2026-03-04T05:06:07Z');
    for (const name of ['dated.md', 'undated.md']) await utimes(path.join(dir, 'docs', name), later, later);
    const after = await build();
    expect(after.status).toEqual({ dated: 'unchanged', undated: 'built' });
    const opf = (await readEpub(path.join(out, 'undated.epub'))).text.get('OEBPS/content.opf')!;
    expect(opf).toContain('<meta property="dcterms:modified">2026-03-04T05:06:07Z</meta>');
    const manifest = JSON.parse(await readFile(path.join(out, 'undated.manifest.json'), 'utf8'));
    expect(manifest.inputs.modified).toBe(later.toISOString());
    expect((await build()).status).toEqual({ dated: 'unchanged', undated: 'unchanged' });
  });
});
