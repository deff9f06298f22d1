import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWithCache } from '../../src/code-cache.js';
import { CoverCache } from '../../src/cover/cover-cache.js';
import { loadDocument } from '../../src/document/load.js';
import { bookMetadata } from '../../src/epub/book-metadata.js';
import { makeCover } from '../../src/epub/cover.js';
import { loadTemplates } from '../../src/render/templates.js';
import { type AddedDocument, ace, epubcheck, packageOf, pngSize, readEpub, withDocumentsAdded } from '../helpers/epub.js';
import { readPdf } from '../helpers/pdf.js';
import { verapdf } from '../helpers/validators.js';

const BIN = path.resolve('bin/galley.js');
const run = promisify(execFile);
let dir: string;

/** Runs the bin as a user does: the bundle in dist/, not the sources the other tests load. */
async function galley(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args], { cwd: dir }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-bin-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the galley bin (the bundle)', () => {
  it('says its version, from package.json', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect((await galley('--version')).stdout.trim()).toBe(version);
  });

  it('builds the article into a PDF and a valid EPUB, and verifies them', async () => {
    const out = path.join(dir, 'out');
    const built = await galley('build', path.resolve('content/beyond-utopia.md'), '--out', out);
    expect(built.code, built.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      '.galley-cache',
      'beyond-utopia.epub',
      'beyond-utopia.manifest.json',
      'beyond-utopia.pdf',
    ]);

    const pdf = await readPdf(path.join(out, 'beyond-utopia.pdf'));
    expect(pdf.pages[0]).toContain('Documentary reveals perilous');
    expect(pdf.fonts.every((font) => font.embedded)).toBe(true);
    expect(pdf.fonts.map((font) => font.name).join(' ')).toMatch(/SourceSerif4/);
    // The bundle's pdf-lib deflates with Node's zlib (scripts/bundle.mjs): still PDF/A and PDF/UA.
    expect((await verapdf(path.join(out, 'beyond-utopia.pdf'), '3a')).compliant).toBe(true);
    expect((await verapdf(path.join(out, 'beyond-utopia.pdf'), 'ua1')).compliant).toBe(true);

    const epub = await readEpub(path.join(out, 'beyond-utopia.epub'));
    const cover = packageOf(epub).manifest.find((item) => item.properties === 'cover-image')!;
    expect(pngSize(epub.bytes.get(`OEBPS/${cover.href}`)!)).toEqual({ width: 1600, height: 2560 });
    expect(await epubcheck(path.join(out, 'beyond-utopia.epub'))).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
    // The bundle opens the fonts with Node's zlib in place of fontkit's JavaScript decoders: the same cover, to the byte.
    const doc = await loadDocument(path.resolve('content/beyond-utopia.md'));
    const fromSources = await makeCover(doc, bookMetadata(doc), await loadTemplates(), new CoverCache(path.join(dir, 'source-covers')));
    expect(Buffer.from(epub.bytes.get(`OEBPS/${cover.href}`)!).equals(Buffer.from(fromSources.bytes))).toBe(true);

    expect((await galley('verify', out)).code).toBe(0);
  });

  it("asks for an EPUB's cover from its front matter before reading the rest: the same EPUB as with the PDF", async () => {
    const article = path.resolve('content/beyond-utopia.md');
    const alone = await run(process.execPath, [BIN, 'build', article, '--format', 'epub', '--out', path.join(dir, 'alone')], {
      cwd: dir,
      env: { ...process.env, GALLEY_TRACE: '1' },
    });
    const steps = alone.stderr.split('\n').map((line) => line.replace(/^trace +\d+ ms {2}/, ''));
    const asked = steps.indexOf('beyond-utopia: cover asked for from the front matter');
    expect(asked, alone.stderr).toBeGreaterThan(-1);
    expect(asked).toBeLessThan(steps.indexOf('beyond-utopia: read'));
    const both = await galley('build', article, '--out', path.join(dir, 'both'));
    expect(both.code, both.stderr).toBe(0);
    const [fromAlone, fromBoth] = await Promise.all(
      ['alone', 'both'].map((folder) => readFile(path.join(dir, folder, 'beyond-utopia.epub'))),
    );
    expect(fromAlone!.equals(fromBoth!)).toBe(true);
  });

  it('makes EPUBs on a machine with no browser, which pass EPUBCheck and Ace; only a diagram needs one', async () => {
    const out = path.join(dir, 'no-browser');
    const nowhere = path.join(dir, 'no-chrome');
    const env = { ...process.env, PUPPETEER_EXECUTABLE_PATH: nowhere };
    const korean = path.join(dir, 'korean.md');
    await writeFile(
      korean,
      '---\ntitle: 탈북자들의 험난한 여정을 담은 다큐멘터리\nlang: ko\nauthor: 김지은\ndate: 2023-12-17\n---\n본문입니다.\n',
    );
    const epubs = await run(
      process.execPath,
      [BIN, 'build', path.resolve('content'), korean, '--out', out, '--format', 'epub', '--browser', nowhere],
      { cwd: dir, env },
    );
    expect(epubs.stderr).toMatch(/3 built, 0 failed/);
    const names = ['beyond-utopia', 'handbook', 'korean'];
    const files = names.map((name) => path.join(out, `${name}.epub`));
    const books = await Promise.all(files.map((file) => readEpub(file)));
    // One Ace run for the three, the others' pages added to the first: each run costs a browser's start.
    const added: AddedDocument[] = names
      .slice(1)
      .flatMap((name, index) =>
        [...books[index + 1]!.text]
          .filter(([entry]) => entry.endsWith('.xhtml'))
          .map(([entry, xhtml]) => ({ href: `${name}-${path.basename(entry)}`, xhtml })),
      );
    const forAce = path.join(dir, 'for-ace.epub');
    await withDocumentsAdded(files[0]!, forAce, added);
    const [report] = await Promise.all([
      ace(forAce),
      ...names.map(async (name, index) => {
        const cover = packageOf(books[index]!).manifest.find((item) => item.properties === 'cover-image')!;
        expect(pngSize(books[index]!.bytes.get(`OEBPS/${cover.href}`)!), name).toEqual({ width: 1600, height: 2560 });
        expect(await epubcheck(files[index]!), name).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
      }),
    ]);
    expect(report.violations).toEqual([]);
    expect([...report.outcomes.keys()]).toEqual(expect.arrayContaining(['cover.xhtml', ...added.map((document) => document.href)]));

    const diagram = path.join(dir, 'diagram.md');
    await writeFile(diagram, '---\ntitle: A diagram\nlang: en\n---\n```mermaid\nflowchart LR\n  A --> B\n```\n');
    const drawn = await galley('build', diagram, '--out', out, '--format', 'epub', '--browser', nowhere);
    expect(drawn.code).toBe(1);
    expect(drawn.stderr.trim().split('\n')).toEqual([`${diagram}: --browser ${nowhere}: no browser there (not an executable file)`]);
  });

  it("draws covers in its worker, whose problems are still one line naming the cover's template", async () => {
    const templates = path.join(dir, 'cover-templates');
    await mkdir(templates, { recursive: true });
    const source = readFileSync(path.resolve('templates/cover.svg'), 'utf8');
    await writeFile(path.join(templates, 'cover.svg'), source.replace('</svg>', '<image href="https://example.com/x.png"/></svg>'));
    const article = path.resolve('content/beyond-utopia.md');
    const warned = await galley('build', article, '--out', 'warned-out', '--format', 'epub', '--templates', templates);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain('warning: cover.svg: removed the reference href="https://example.com/x.png" of <image>');
    const epub = await readEpub(path.join(dir, 'warned-out', 'beyond-utopia.epub'));
    expect(pngSize(epub.bytes.get('OEBPS/images/cover.png')!)).toEqual({ width: 1600, height: 2560 });

    await writeFile(path.join(templates, 'cover.svg'), source.replace('</svg>', '<rect></svg>'));
    const broken = await galley('build', article, '--out', 'broken-out', '--format', 'epub', '--templates', templates);
    expect(broken.code).toBe(1);
    expect(broken.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${path.join(templates, 'cover.svg')}(:\\d+)?: the cover template does not make an SVG`)),
    ]);
  });

  it('runs its code and its cover worker from code caches that this Node accepts, made by the build', () => {
    for (const script of ['dist/galley.cjs', 'dist/cover-worker.cjs'])
      expect(compileWithCache(path.resolve(script)).cacheUsed, script).toBe(true);
  });

  it("looks in puppeteer's cache of browsers from the cached code, which loads what it needs without import()", async () => {
    const cacheDir = path.join(dir, 'puppeteer-cache');
    await mkdir(path.join(cacheDir, 'chrome', 'linux-1'), { recursive: true });
    const { PUPPETEER_EXECUTABLE_PATH: _, ...env } = process.env;
    const built = await run(
      process.execPath,
      [BIN, 'build', path.resolve('content/beyond-utopia.md'), '--format', 'pdf', '--out', 'cache-out'],
      {
        cwd: dir,
        env: { ...env, PUPPETEER_CACHE_DIR: cacheDir },
      },
    );
    expect(built.stderr).toMatch(/^built .*beyond-utopia\.pdf \(2 pages\)\n$/);
  });

  it('reports a bad document in one line and exits 1', async () => {
    await writeFile(path.join(dir, 'bad.md'), '---js\n{ title: "x" }\n---\nText.\n');
    const result = await galley('build', 'bad.md', '--out', 'bad-out');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^bad\.md:1: /)]);
  });
});
