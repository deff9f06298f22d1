import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { renderEbookSection, renderPrintBody } from '../../src/document/render.js';
import { PNG_1X1 } from '../helpers/fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-load-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, text: string | Buffer): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('loadDocument', () => {
  it('splits at ## into an opening section and one section per heading', async () => {
    const doc = await loadDocument(
      await write('a.md', '---\ntitle: T\n---\nLead.\n\n## One\n\nText one.\n\n### Sub\n\nMore.\n\n## Two\n\nText two.\n'),
    );
    expect(doc.sections.map((section) => [section.title, section.headingId])).toEqual([
      ['T', undefined],
      ['One', 'one'],
      ['Two', 'two'],
    ]);
    expect(doc.name).toBe('a');
  });

  it('has no opening section when the text starts with a ## heading', async () => {
    const doc = await loadDocument(await write('b.md', '## First\n\nText.\n'));
    expect(doc.sections.map((section) => section.title)).toEqual(['First']);
  });

  it('takes the title from front matter, then the first # heading, then the file name', async () => {
    expect((await loadDocument(await write('c.md', '---\ntitle: Front\n---\n# Heading\n\nx'))).metadata.title).toBe('Front');
    const fromHeading = await loadDocument(await write('d.md', '# The *real* title\n\nx\n\n## S\n\ny'));
    expect(fromHeading.metadata.title).toBe('The real title');
    expect(renderPrintBody(fromHeading)).not.toContain('<h1');
    expect((await loadDocument(await write('file-name.md', 'Just text.'))).metadata.title).toBe('file-name');
  });

  it('gives duplicate headings distinct ids', async () => {
    const doc = await loadDocument(await write('e.md', '# Notes twice\n\n## Notes\n\na\n\n## Notes\n\nb\n'));
    expect(doc.sections.map((section) => section.headingId)).toEqual(['notes', 'notes-1']);
  });

  it('renders typographer quotes and dashes', async () => {
    const doc = await loadDocument(await write('f.md', '"Quoted" -- it\'s'));
    expect(renderPrintBody(doc)).toContain('\u201cQuoted\u201d \u2013 it\u2019s');
  });

  it("keeps each section's footnotes with it in the e-book, and all of them at the end in print", async () => {
    const doc = await loadDocument(await write('g.md', 'Lead.[^a]\n\n## S\n\nText.[^b]\n\n[^a]: Note A.\n[^b]: Note B.\n'));
    expect(renderEbookSection(doc, doc.sections, 0, () => '')).toContain('Note A.');
    expect(renderEbookSection(doc, doc.sections, 0, () => '')).not.toContain('Note B.');
    expect(renderEbookSection(doc, doc.sections, 1, () => '')).toContain('Note B.');
    const print = renderPrintBody(doc);
    expect(print.indexOf('Note A.')).toBeLessThan(print.indexOf('Note B.'));
    expect(print.indexOf('Text.')).toBeLessThan(print.indexOf('Note A.'));
  });

  it("points links into another section at that section's chapter file", async () => {
    const doc = await loadDocument(await write('h.md', 'See [later](#later).\n\n## Later\n\nHere [up](#later).\n'));
    expect(renderEbookSection(doc, doc.sections, 0, (index) => `ch${index}.xhtml`)).toContain('href="ch1.xhtml#later"');
    expect(renderEbookSection(doc, doc.sections, 1, (index) => `ch${index}.xhtml`)).toContain('href="#later"');
    expect(renderPrintBody(doc)).toContain('href="#later"');
  });

  it('resolves local images and shows remote ones as their alt text, with a warning', async () => {
    await write('img/dot.png', PNG_1X1);
    const doc = await loadDocument(
      await write('i.md', '---\nlang: en\n---\nText\n\n![A dot](img/dot.png)\n\n![Remote](https://example.com/x.png)\n'),
    );
    expect([...doc.images.values()].map((image) => [image.src, image.line])).toEqual([['img/dot.png', 6]]);
    expect(renderPrintBody(doc)).toContain(`src="file://${path.join(await realpath(dir), 'img/dot.png')}"`);
    expect(renderPrintBody(doc)).not.toContain('example.com');
    expect(doc.warnings).toEqual([
      {
        line: 8,
        message:
          'image "https://example.com/x.png" is not loaded: only images inside the document\'s folder are used (allow remote images with --allow-remote)',
      },
    ]);
  });

  it('sniffs image types from their bytes, SVG included', async () => {
    await write('pics/dot.png', PNG_1X1);
    await write(
      'pics/chart.svg',
      '<?xml version="1.0"?>\n<!-- chart -->\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    );
    const doc = await loadDocument(await write('k.md', '![a](pics/dot.png) ![b](pics/chart.svg)\n'));
    expect([...doc.images.values()].map((image) => image.mediaType)).toEqual(['image/png', 'image/svg+xml']);
  });

  it.each([
    ['a missing image', '![x](nowhere.png)', /:3: image "nowhere.png" not found$/],
    [
      'a file that is not an image',
      '![x](fake.png)',
      /:3: image "fake.png" is not an image galley can use \(PNG, JPEG, GIF, WebP or SVG\)$/,
    ],
    ['a folder', '![x](pics)', /:3: image "pics" is not a regular file$/],
    [
      'an image outside the folder',
      '![x](../../etc/passwd)',
      /:3: image "..\/..\/etc\/passwd" (is outside the document's folder|not found)$/,
    ],
  ])('fails on %s, naming the file and line', async (_name, markdown, message) => {
    await write('fake.png', 'not a picture at all');
    await mkdir(path.join(dir, 'pics'), { recursive: true });
    const file = await write('j.md', `---\n---\n${markdown}\n`);
    await expect(loadDocument(file)).rejects.toThrow();
    await loadDocument(file).catch((error: Error) => expect(`${error}`).toMatch(new RegExp(`^${file}${message.source}`)));
  });

  it('refuses documents and images over the size limits', async () => {
    await write('big.png', Buffer.concat([PNG_1X1, Buffer.alloc(2 * 1024 * 1024)]));
    const file = await write('sized.md', 'Text\n\n![big](big.png)\n');
    const limits = { maxDocumentBytes: 1024 * 1024, maxImageBytes: 1024 * 1024, remoteImages: undefined };
    expect(String(await loadDocument(file, limits).catch((error: unknown) => error))).toBe(
      `${file}:3: image "big.png" is larger than the limit of 1 MB (raise it with --max-image-size)`,
    );
    const large = await write('large.md', 'x'.repeat(1024 * 1024 + 1));
    expect(String(await loadDocument(large, limits).catch((error: unknown) => error))).toBe(
      `${large}: the file is larger than the limit of 1 MB (raise it with --max-document-size)`,
    );
  });

  it.each([
    ['an empty file', 'empty.md', '', ':1: the file is empty'],
    ['a file that is not Markdown', 'notes.txt', 'text', ': not a Markdown file: galley reads .md and .markdown files'],
    ['front matter and nothing else', 'fm.md', '---\ntitle: T\n---\n', ':4: the document has no text after its front matter'],
    ['invalid UTF-8', 'bytes.md', Buffer.from([0x61, 0xff, 0x62]), ':1: the file is not valid UTF-8: byte offset 1 (0xff)'],
    [
      'invalid UTF-8 after a BOM and a real U+FFFD',
      'bom.md',
      Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xef, 0xbf, 0xbd, 0xc3, 0x28]),
      ':2: the file is not valid UTF-8: byte offset 8 (0xc3)',
    ],
  ])('fails on %s with one line naming it', async (_name, fileName, content, expected) => {
    const file = path.join(dir, fileName);
    await writeFile(file, content);
    await expect(loadDocument(file)).rejects.toThrow();
    expect(`${await loadDocument(file).catch((error: Error) => error)}`).toBe(`${file}${expected}`);
  });

  it('sets a heading that skips a level at the level it holds, with a warning', async () => {
    const doc = await loadDocument(
      await write('gaps.md', '---\ntitle: T\nlang: en\n---\n## Two\n\n#### Four\n\n### Three\n\n###### Six\n'),
    );
    expect(doc.blocks.filter((token) => token.type === 'heading_open').map((token) => token.tag)).toEqual(['h2', 'h3', 'h3', 'h4']);
    expect(doc.warnings).toEqual([
      { line: 7, message: 'the heading "Four" skips a level (h4 under h2): it is set as h3' },
      { line: 11, message: 'the heading "Six" skips a level (h6 under h3): it is set as h4' },
    ]);
    expect(renderPrintBody(doc)).toContain('<h3 id="four">Four</h3>');
  });

  it('warns about an image without alt text, in Markdown or raw HTML', async () => {
    await write('dot.png', PNG_1X1);
    const doc = await loadDocument(await write('alt.md', '---\nlang: en\n---\n![](dot.png)\n\n<img src="dot.png">\n\n![A dot](dot.png)\n'));
    expect(doc.warnings.map((warning) => [warning.line, warning.message.split(':')[0]])).toEqual([
      [4, 'image "dot.png" has no alt text'],
      [6, 'image "dot.png" has no alt text'],
    ]);
  });
});
