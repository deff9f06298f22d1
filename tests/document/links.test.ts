import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOAD_OPTIONS, loadDocument } from '../../src/document/load.js';
import { renderEbookSection, renderPrintBody } from '../../src/document/render.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-links-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const SOURCE = [
  '---',
  'title: Links',
  'lang: en',
  '---',
  'See [the strings chapter](ch08-02-strings.html#creating), [the notes](../notes.md) and [the web](https://example.org/).',
  '',
  'Raw: <a href="sibling.html">a sibling</a>, and [up to the top](#part-two) or [nowhere](#no-such-id).',
  '',
  '## Part two',
  '',
  'Text.',
  '',
].join('\n');

async function load(linkBase?: string, frontMatter = '') {
  const file = path.join(dir, 'links.md');
  await writeFile(file, SOURCE.replace('lang: en\n', `lang: en\n${frontMatter}`));
  return loadDocument(file, { ...DEFAULT_LOAD_OPTIONS, linkBase });
}

describe('links', () => {
  it('keeps links to files outside the edition as text, with a warning naming the line', async () => {
    const doc = await load();
    const html = renderPrintBody(doc);
    expect(html).toContain('See the strings chapter, the notes and <a href="https://example.org/">the web</a>.');
    expect(html).toContain('Raw: <span>a sibling</span>');
    expect(html).toContain('<a href="#part-two">up to the top</a> or nowhere.');
    expect(html).not.toMatch(/href="(?!https:|#)/);
    expect(doc.warnings.map((warning) => [warning.line, warning.message.replace(/ is kept as text.*/, '')])).toEqual([
      [5, 'link to "ch08-02-strings.html#creating"'],
      [5, 'link to "../notes.md"'],
      [7, 'link to "#no-such-id"'],
      [7, 'link to "sibling.html"'],
    ]);
  });

  it('turns them into web links under --link-base, in both editions', async () => {
    const doc = await load('https://example.org/book/');
    expect(doc.warnings.map((warning) => warning.message)).toEqual([
      'link to "#no-such-id" is kept as text: no heading or element has that id',
    ]);
    const print = renderPrintBody(doc);
    expect(print).toContain('<a href="https://example.org/book/ch08-02-strings.html#creating">the strings chapter</a>');
    expect(print).toContain('<a href="https://example.org/notes.md">the notes</a>');
    expect(print).toContain('<a href="https://example.org/book/sibling.html">a sibling</a>');
    const ebook = renderEbookSection(doc, doc.sections, 0, (index) => `section-${index + 1}.xhtml`);
    expect(ebook).toContain('<a href="https://example.org/book/ch08-02-strings.html#creating">');
    expect(ebook).toContain('<a href="section-2.xhtml#part-two">up to the top</a>');
  });

  it('takes link_base from the front matter, and the flag wins over it', async () => {
    expect(renderPrintBody(await load(undefined, 'link_base: https://docs.example.net/v2\n'))).toContain(
      'href="https://docs.example.net/v2/sibling.html"',
    );
    expect(renderPrintBody(await load('https://example.org/', 'link_base: https://docs.example.net/v2\n'))).toContain(
      'href="https://example.org/sibling.html"',
    );
  });
});
