import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
let out: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-bad-'));
  out = path.join(dir, 'out');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The output folder's files, without its hidden cache (.galley-cache). */
async function outputsIn(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => !name.startsWith('.')).sort();
}

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('bad input', () => {
  it('reports each bad document in one line, exits 1, and still builds the good one', async () => {
    const good = await write('good.md', '---\ntitle: Good\nlang: en\n---\nFine text.\n\n## Part\n\nMore.\n');
    const empty = await write('empty.md', '');
    const badYaml = await write('bad-yaml.md', '---\ntitle: Broken\ndate: [2023\n---\nText\n');
    const wrongType = await write('wrong-type.md', '---\ntitle: T\nauthor:\n  name: nested\n---\nText\n');
    const script = await write('script.md', '---js\n{ title: (() => { require("fs").writeFileSync("pwned", "") })() }\n---\nText\n');
    const notMarkdown = await write('notes.txt', 'plain text');
    const missing = path.join(dir, 'missing.md');

    const run = await runCli('build', good, empty, badYaml, wrongType, script, notMarkdown, missing, '--out', out);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.lines.slice(0, -1).sort()).toEqual(
      [
        `${missing}: no such file or folder`,
        `built ${good}: ${path.join(out, 'good.pdf')} (1 page), ${path.join(out, 'good.epub')} (2 chapters)`,
        `${empty}:1: the file is empty`,
        `${badYaml}:3: front matter is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
        `${wrongType}:3: front matter "author" must be text or a list of text`,
        `${script}:1: front matter in "js" is not accepted: galley reads YAML front matter only (open it with ---)`,
        `${notMarkdown}: not a Markdown file: galley reads .md and .markdown files`,
      ].sort(),
    );
    expect(run.lines.at(-1)).toMatch(/^1 built, 6 failed in \d+\.\d s$/);
    expect(await outputsIn(out)).toEqual(['good.epub', 'good.manifest.json', 'good.pdf']);
    expect(await readdir(dir)).not.toContain('pwned');
  });

  it('keeps the previous good output when a document fails, and leaves no temporary files', async () => {
    const file = await write('article.md', 'First version.\n');
    expect((await runCli('build', file, '--out', out)).code).toBe(0);
    const before = await readFile(path.join(out, 'article.pdf'));

    await writeFile(file, '---\ntitle: [unclosed\n---\nSecond version.\n');
    const run = await runCli('build', file, '--out', out);
    expect(run.code).toBe(1);
    expect(run.lines[0]).toMatch(new RegExp(`^${file}:2: front matter is not valid YAML`));
    expect(await readFile(path.join(out, 'article.pdf'))).toEqual(before);
    expect(await outputsIn(out)).toEqual(['article.epub', 'article.manifest.json', 'article.pdf']);
    // The covers' cache holds whole files only.
    expect((await readdir(path.join(out, '.galley-cache'), { recursive: true })).sort()).toEqual([
      'covers',
      expect.stringMatching(/^covers\/[0-9a-f]{64}\.cover$/),
    ]);
  });

  it('without a browser, says how to get one in one line and exits 1, writing nothing', async () => {
    const file = await write('article.md', 'Text.\n');
    const run = await runCli('build', file, '--out', out, '--browser', path.join(dir, 'no-chrome'));
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([`--browser ${path.join(dir, 'no-chrome')}: no browser there (not an executable file)`]);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('needs no browser for an EPUB-only build, its cover given or drawn', async () => {
    const noChrome = path.join(dir, 'no-chrome');
    const ownCover = path.resolve('tests/fixtures/epub/own-cover.md');
    const drawnCover = await write('no-cover.md', '---\nlang: en\n---\nText.\n');
    const epubOnly = await runCli('build', ownCover, drawnCover, '--out', out, '--format', 'epub', '--browser', noChrome);
    expect(epubOnly.code, epubOnly.stderr).toBe(0);
    expect((await readdir(out)).filter((file) => file.endsWith('.epub')).sort()).toEqual(['no-cover.epub', 'own-cover.epub']);
  });

  it('refuses two documents that would write the same output files', async () => {
    const first = await write('same.md', 'One.\n');
    const second = path.join(dir, 'sub', 'same.md');
    await mkdir(path.dirname(second));
    await writeFile(second, 'Two.\n');
    const run = await runCli('build', first, second, '--out', out, '--format', 'epub');
    expect(run.code).toBe(1);
    expect(run.lines).toContain(`${second}: its outputs would overwrite those of ${first}: give one of them another name`);
  });
});
