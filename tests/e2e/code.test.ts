import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ace, readEpub, type EpubReadBack } from '../helpers/epub.js';
import { readPdf, type PdfReadBack } from '../helpers/pdf.js';
import { popplerPages } from '../helpers/poppler.js';
import { epubcheck, verapdf } from '../helpers/validators.js';

const run = promisify(execFile);
const SOURCE = path.resolve('tests/fixtures/technical/code-samples.md');

describe('code: highlighted at build time, in a shipped monospaced face, long lines wrapped', () => {
  let out: string;
  let pdfFile: string;
  let pdf: PdfReadBack;
  let text: string;
  let epub: EpubReadBack;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'galley-code-'));
    const result = await runCli('build', SOURCE, '--out', out);
    expect(result.code, result.lines.join('\n')).toBe(0);
    pdfFile = path.join(out, 'code-samples.pdf');
    pdf = await readPdf(pdfFile);
    text = (await popplerPages(pdfFile)).join('\n');
    epub = await readEpub(path.join(out, 'code-samples.epub'));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('sets code in Source Code Pro (regular, bold keywords, italic comments), embedded', async () => {
    const { stdout } = await run('pdffonts', [pdfFile]);
    const faces = stdout.split('\n').slice(2).filter(Boolean);
    for (const style of ['Regular', 'Bold', 'Italic']) {
      const face = faces.find((line) => new RegExp(`SourceCodePro\\S*-${style}\\b`).test(line));
      expect(face, `${style}\n${stdout}`).toBeDefined();
      expect(face!.split(/\s+/).slice(-5, -2)).toEqual(['yes', 'yes', 'yes']);
    }
    expect(stdout).not.toContain('Liberation');
  });

  it('keeps the code as written in the text layer, one line per line, with line numbers only where asked', () => {
    expect(text).toContain('def means(path: str) -> dict[str, float]:');
    expect(text).toContain('SELECT site, ROUND(AVG(temp), 1) AS mean_temp, COUNT(*) AS readings');
    expect(text).toMatch(/^4 fn means\(sheet: &str\) -> HashMap<&str, f64> \{$/m);
    expect(text).toMatch(/^13 }$/m);
    expect(text).not.toMatch(/^\d+ import csv$/m);
  });

  it('wraps a long line inside the text block, under the line it continues', () => {
    const right = Math.max(
      ...pdf.lines
        .flat()
        .filter((line) => !/^[\p{L}\d ]+$/u.test(line.text))
        .map((line) => line.right),
    );
    const body = Math.max(...pdf.lines[0]!.filter((line) => line.text.startsWith('The monitoring')).map((line) => line.right));
    expect(right).toBeLessThanOrEqual(body + 1);
    expect(text).toMatch(/\/\/ a\nmissing reading counts as zero/);
  });

  it('colours the code in the EPUB too, with the same classes, and numbers the lines of a {.numberLines} block', () => {
    const chapters = [...epub.text].filter(([entry]) => /section-\d+\.xhtml$/.test(entry)).map(([, xhtml]) => xhtml);
    const rust = chapters.find((xhtml) => xhtml.includes('language-rust'))!;
    expect(rust).toContain('<pre class="numberLines"><code class="language-rust"><span class="line"><span class="hljs-keyword">use</span>');
    expect(chapters.join('')).toContain('<span class="hljs-comment">-- The same, once the sheets are loaded into a table.</span>');
    expect(chapters.join('')).toContain(
      '<pre><code class="language-frobnicate"><span class="line">frob all the sheets --twice\n</span></code></pre>',
    );
    expect(epub.text.get('OEBPS/style.css') ?? new TextDecoder().decode(epub.bytes.get('OEBPS/style.css'))).toContain('.hljs-keyword');
  });

  it('passes EPUBCheck, Ace (colour contrast included) and veraPDF, and holds no script', async () => {
    const check = await epubcheck(path.join(out, 'code-samples.epub'));
    expect(check.output).toBe('');
    const accessibility = await ace(path.join(out, 'code-samples.epub'));
    expect(accessibility.violations).toEqual([]);
    for (const flavour of ['3a', 'ua1']) expect((await verapdf(pdfFile, flavour)).failed, flavour).toEqual({});
    for (const [entry, xhtml] of epub.text) expect(xhtml, entry).not.toMatch(/<script|\son[a-z]+=/i);
  });
});
