import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { GalleyError } from '../../src/errors.js';
import { renderEbookSection, renderPrintBody } from '../../src/document/render.js';
import { PNG_1X1 } from '../helpers/fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-raw-'));
  await writeFile(path.join(dir, 'dot.png'), PNG_1X1);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const HOSTILE = [
  'Intro with <span class="kicker" onclick="steal()">a kicker</span> inline.', // line 1
  '',
  '<script>document.title = "owned"</script>', // 3
  '',
  '<a href="javascript:alert(1)">click</a> and <a href=" JaVaScRiPt:alert(2)">again</a>', // 5
  '',
  '<iframe src="https://example.com/embed"></iframe>', // 7
  '',
  '<object data="x.swf"></object><embed src="y.swf">', // 9
  '',
  '<img src="dot.png" onerror="fetch(\'http://127.0.0.1:9/\')" alt="A dot">', // 11
  '',
  '<figure><figcaption>A <em>kept</em> caption</figure>', // 13
  '',
  '<style>@import url(http://127.0.0.1:9/x.css);</style><form action="/"><input name="q"></form>', // 15
].join('\n');

describe('raw HTML in Markdown', () => {
  it('keeps allowed markup and removes scripts, handlers, javascript: links, frames, objects and embeds', async () => {
    const file = path.join(dir, 'hostile.md');
    await writeFile(file, HOSTILE);
    const doc = await loadDocument(file);
    for (const html of [renderPrintBody(doc), ...doc.sections.map((_, index) => renderEbookSection(doc, doc.sections, index, () => ''))]) {
      expect(html).toContain('<span class="kicker">a kicker</span>');
      expect(html).toContain('<figure><figcaption>A <em>kept</em> caption</figcaption></figure>');
      expect(html).not.toMatch(/<script|onclick|onerror|javascript:|<iframe|<object|<embed|<style|@import|<form|<input|127\.0\.0\.1/i);
      expect(html).toContain('<a>click</a>');
      expect(html).toMatch(/<img alt="A dot" src="[^"]*dot.png" \/>/);
    }
  });

  it('warns about each removal, naming its line', async () => {
    const file = path.join(dir, 'hostile.md');
    await writeFile(file, HOSTILE);
    const { warnings } = await loadDocument(file);
    expect(warnings).toEqual(
      expect.arrayContaining([
        { line: 1, message: 'raw HTML: removed the onclick attribute of <span>' },
        { line: 3, message: 'raw HTML: removed <script> and everything in it' },
        { line: 5, message: 'raw HTML: removed the link href="javascript:alert(1)"' },
        { line: 5, message: 'raw HTML: removed the link href=" JaVaScRiPt:alert(2)"' },
        { line: 7, message: 'raw HTML: removed <iframe>' },
        { line: 9, message: 'raw HTML: removed <object>' },
        { line: 9, message: 'raw HTML: removed <embed>' },
        { line: 11, message: 'raw HTML: removed the onerror attribute of <img>' },
        { line: 15, message: 'raw HTML: removed <style> and everything in it' },
        { line: 15, message: 'raw HTML: removed <form>' },
      ]),
    );
  });

  it('checks images in raw HTML like Markdown images', async () => {
    const file = path.join(dir, 'img.md');
    await writeFile(file, 'Text\n\n<img src="missing.png" alt="m">\n');
    const error = await loadDocument(file).catch((caught: unknown) => caught);
    expect(String(error)).toBe(`${file}:3: image "missing.png" not found`);
  });

  it('survives deeply nested HTML, brackets and emphasis, keeping the last paragraph', async () => {
    const file = path.join(dir, 'deep.md');
    await writeFile(
      file,
      `Start.\n\n${'<div>'.repeat(5_000)}x${'</div>'.repeat(5_000)}\n\n${'['.repeat(20_000)}\n\n${'*a '.repeat(10_000)}\n\nThe last paragraph.\n`,
    );
    const started = Date.now();
    const doc = await loadDocument(file);
    expect(renderPrintBody(doc)).toContain('<p>The last paragraph.</p>');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it.each([
    ['quotes', (depth: number) => `${'>'.repeat(depth)} deep`],
    ['lists', (depth: number) => `${'- '.repeat(depth)}item`],
    ['quoted lists', (depth: number) => `${'> 1. '.repeat(depth)}item`],
  ])("refuses %s nested beyond the parser's limit, naming the line, instead of losing what follows", async (_, deep) => {
    const file = path.join(dir, 'too-deep.md');
    await writeFile(file, `---\nlang: en\n---\n\nA paragraph first.\n\n${deep(20_000)}\n\nThe last paragraph.\n`);
    const error = await loadDocument(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GalleyError);
    expect(String(error)).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: lists or quotes are nested more than 100 levels deep`),
    );
    expect((error as GalleyError).line).toBeGreaterThanOrEqual(7);
    const fine = path.join(dir, 'deep-enough.md');
    await writeFile(fine, `${deep(20)}\n\nThe last paragraph.\n`);
    expect(renderPrintBody(await loadDocument(fine))).toContain('The last paragraph.');
  });
});
