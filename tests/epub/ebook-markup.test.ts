import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { chapterHref, planChapters } from '../../src/epub/chapters.js';
import { chapterNotes, renderChapterBodies } from '../../src/epub/ebook-markup.js';

const FIXTURES = path.resolve('tests/fixtures/epub');

async function chapterBodies(file: string, splitLevel = 2): Promise<string[]> {
  const doc = await loadDocument(file);
  return renderChapterBodies(
    doc,
    planChapters(doc, splitLevel).map((chapter) => chapter.section),
    chapterHref,
  );
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-ebook-markup-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function write(markdown: string): Promise<string> {
  const file = path.join(dir, 'doc.md');
  await writeFile(file, markdown);
  return file;
}

describe('e-book footnotes', () => {
  it('turns references into noterefs and notes into asides that link back', async () => {
    const [first] = await chapterBodies(path.join(FIXTURES, 'footnotes.md'));
    expect(first).toContain('<sup class="noteref"><a epub:type="noteref" role="doc-noteref" id="fnref1" href="#fn1">1</a></sup>');
    expect(first).toContain('<sup class="noteref"><a epub:type="noteref" role="doc-noteref" id="fnref1-2" href="#fn1">1</a></sup>');
    expect(first).toContain(
      '<aside epub:type="footnote" role="doc-footnote" id="fn1" class="footnote">\n<p><span class="note-number">1.</span> The source, as published.',
    );
    expect(first).toContain('<a href="#fnref1" role="doc-backlink" class="backlink" aria-label="Back to text">\u21a9\ufe0e</a>');
    expect(first).toContain('<a href="#fnref1-2" role="doc-backlink"');
    expect(first).not.toContain('footnote-ref');
  });

  it('gives each chapter its own copy of a note, linking back only to the references in that chapter', async () => {
    const [, second] = await chapterBodies(path.join(FIXTURES, 'footnotes.md'));
    expect(second).toContain('id="fnref1-3" href="#fn1"');
    expect(second).toContain('<aside epub:type="footnote" role="doc-footnote" id="fn1"');
    expect([...second!.matchAll(/<a href="#(fnref1[^"]*)" role="doc-backlink"/g)].map((match) => match[1])).toEqual(['fnref1-3']);
  });

  it('brings along a note that only another note refers to', async () => {
    const doc = await loadDocument(path.join(FIXTURES, 'footnotes.md'));
    const sections = planChapters(doc, 2).map((chapter) => chapter.section);
    expect(sections.map((section) => chapterNotes(doc, section))).toEqual([[0, 1], [0, 2, 3], []]);
    const [, second] = renderChapterBodies(doc, sections, chapterHref);
    expect(second).toMatch(
      /<aside epub:type="footnote" role="doc-footnote" id="fn4"[^>]*>\n<p><span class="note-number">4\.<\/span> A note referred to only from another note\. <a href="#fnref4"/,
    );
  });
});

describe('e-book markup', () => {
  it('makes an empty header cell a data cell', async () => {
    const [body] = await chapterBodies(await write('|   | B |\n| - | - |\n| x | 1 |\n'));
    expect(body).toMatch(/<thead>\s*<tr>\s*<td><\/td>\s*<th>B<\/th>/);
  });

  it('leaves out a heading with nothing in it, but keeps the chapter it opens', async () => {
    const bodies = await chapterBodies(
      await write('Opening.\n\n##\n\nAfter an empty heading.\n\n## \u0007\n\nAfter a control character.\n'),
    );
    expect(bodies).toHaveLength(3);
    expect(bodies[1]).toBe('<p>After an empty heading.</p>\n');
    expect(bodies[2]).toBe('<p>After a control character.</p>\n');
  });

  it('takes control characters out of the text', async () => {
    const [body] = await chapterBodies(await write('A\u0007B\u001bC\u007fD\u0085E & 1 < 2 > 0\n'));
    expect(body).toBe('<p>ABCDE &amp; 1 &lt; 2 &gt; 0</p>\n');
  });

  it('points links to headings of other chapters at their files', async () => {
    const bodies = await chapterBodies(await write('See [the end](#end) and [here](#here).\n\n## Here\n\nText.\n\n## End\n\nDone.\n'));
    expect(bodies[0]).toContain('<a href="section-03.xhtml#end">the end</a> and <a href="section-02.xhtml#here">here</a>');
  });
});
