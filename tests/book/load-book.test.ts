import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBook } from '../../src/book/find.js';
import { loadBook } from '../../src/book/load-book.js';
import { DEFAULT_LOAD_OPTIONS } from '../../src/document/load.js';
import { renderPrintUnits } from '../../src/document/render.js';
import { PNG_1X1 } from '../helpers/fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-book-'));
});
let outside: string;
beforeEach(() => {
  outside = path.join(path.dirname(dir), 'outside.md');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { force: true });
});

async function write(files: Record<string, string | Buffer>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}

async function load() {
  const location = await findBook(dir);
  if (!location) throw new Error('no book found');
  return loadBook(location, dir, DEFAULT_LOAD_OPTIONS);
}

async function failure(): Promise<string> {
  return load().then(
    () => 'loaded',
    (error: Error) => String(error),
  );
}

const PLAN = 'title: A book\nlang: en\nchapters:\n';

describe('a book.yaml', () => {
  it('sets parts and chapters at their levels, with chapter headings below them', async () => {
    await write({
      'book.yaml': `${PLAN}  - one.md\n  - part: Second part\n    chapters:\n      - file: two.md\n        chapters: [three.md]\n`,
      'one.md': '# One\n\nText.\n\n## One A\n\nMore.\n',
      'two.md': '# Two\n\nText.\n',
      'three.md': '# Three\n\nText.\n\n## Three A\n\nMore.\n',
    });
    const { doc, settings } = await load();
    expect(doc.book!.units.map((unit) => [unit.kind, unit.title, unit.level])).toEqual([
      ['chapter', 'One', 1],
      ['part', 'Second part', 1],
      ['chapter', 'Two', 2],
      ['chapter', 'Three', 3],
    ]);
    const headings = doc.blocks.filter((token) => token.type === 'heading_open').map((token) => `${token.tag} ${token.attrGet('id')}`);
    expect(headings).toEqual(['h1 one', 'h2 one-a', 'h1 second-part', 'h2 two', 'h3 three', 'h4 three-a']);
    // The EPUB splits at each chapter and at each chapter's own ## (split level 2), whatever its depth.
    expect(settings.splitLevel).toBe(2);
    expect(doc.sections.map((section) => section.title)).toEqual(['One', 'One A', 'Second part', 'Two', 'Three', 'Three A']);
    expect(doc.name).toBe(path.basename(dir));
    expect(doc.sources.map((file) => file.name)).toEqual(['book.yaml', 'one.md', 'two.md', 'three.md']);
  });

  it('makes ids unique across chapters and points links at them, across files too', async () => {
    await write({
      'book.yaml': `${PLAN}  - a.md\n  - sub/b.md\n`,
      'a.md': '# A\n\n## Notes\n\nSee [b](sub/b.md), [its notes](sub/b.md#notes), [mine](#notes) and [b as HTML](sub/b.html#notes).\n',
      'sub/b.md': '# B\n\n## Notes\n\nBack to [a](../a.md#notes) and [nowhere](../a.md#nothing).\n',
    });
    const { doc } = await load();
    const html = renderPrintUnits(doc, doc.book!.units).join('\n');
    expect(html).toContain('<h2 id="notes">');
    expect(html).toContain('<h2 id="notes-2">');
    expect(html).toContain(
      '<a href="#b">b</a>, <a href="#notes-2">its notes</a>, <a href="#notes">mine</a> and <a href="#notes-2">b as HTML</a>',
    );
    expect(html).toContain('Back to <a href="#notes">a</a> and nowhere.');
    expect(doc.warnings.map((notice) => `${notice.file}:${notice.line}: ${notice.message}`)).toContain(
      `${path.join(dir, 'sub/b.md')}:5: link to "../a.md#nothing" is kept as text: a.md has no heading or element with the id "nothing"`,
    );
  });

  it('numbers notes across the book, each chapter keeping its own', async () => {
    await write({
      'book.yaml': `${PLAN}  - a.md\n  - b.md\n`,
      'a.md': '# A\n\nOne.[^x]\n\n[^x]: Note of a.\n',
      'b.md': '# B\n\nTwo.[^x]\n\n[^x]: Note of b.\n',
    });
    const { doc } = await load();
    const [a, b] = renderPrintUnits(doc, doc.book!.units);
    expect(a).toContain('href="#fn1"');
    expect(a).toContain('Note of a.');
    expect(a).not.toContain('Note of b.');
    expect(b).toContain('href="#fn2"');
    expect(b).toContain('Note of b.');
  });

  it('reads images from the chapter folder, keeps one per file, and refuses one outside the book', async () => {
    await write({
      'book.yaml': `${PLAN}  - a.md\n  - part/b.md\n`,
      'images/dot.png': PNG_1X1,
      'a.md': '# A\n\n![A dot](images/dot.png)\n',
      'part/b.md': '# B\n\n![The same dot](../images/dot.png)\n',
    });
    const { doc } = await load();
    expect([...doc.images.keys()]).toEqual(['images/dot.png']);
    await writeFile(outside, PNG_1X1);
    await write({ 'part/b.md': '# B\n\n![Out](../../outside.md)\n' });
    expect(await failure()).toBe(`${path.join(dir, 'part/b.md')}:3: image "../outside.md" is outside the document's folder`);
  });

  it('takes a chapter title from front matter, its # heading, the plan, then its file name, and keeps its own language', async () => {
    await write({
      'book.yaml': `${PLAN}  - a.md\n  - file: b.md\n    title: Planned\n  - c.md\n  - d.md\n`,
      'a.md': '---\ntitle: From front matter\nlang: fr\nauthor: Ana\n---\n# Heading\n\nTexte.\n',
      'b.md': 'No heading here.\n',
      'c.md': 'Nor here.\n',
      'd.md': '# D heading\n\nText.\n',
    });
    const { doc } = await load();
    expect(doc.book!.units.map((unit) => [unit.title, unit.lang])).toEqual([
      ['From front matter', 'fr'],
      ['Planned', undefined],
      ['c', undefined],
      ['D heading', undefined],
    ]);
    const [a] = renderPrintUnits(doc, doc.book!.units);
    expect(a).toContain('<p class="chapter-byline">Ana</p>');
    expect(doc.sections[0]!.lang).toBe('fr');
  });

  it.each([
    [`${PLAN}  - a.md\n  - b.md\n  - a.md\n`, 'book.yaml:6: chapter "a.md" is listed twice (first on line 4)'],
    [`${PLAN}  - a.md\n  - missing.md\n`, 'book.yaml:5: chapter "missing.md" not found'],
    [`${PLAN}  - a.md\n  - notes.txt\n`, 'book.yaml:5: chapter "notes.txt" is not a Markdown file (.md)'],
    [`${PLAN}  - ../outside.md\n`, 'book.yaml:4: chapter "../outside.md" is outside the book\'s folder'],
    ['title: A book\nchapters: a.md\n', 'book.yaml:2: "chapters" must be a list of chapters'],
    [`${PLAN}  - part: P\n    chapters: []\n`, 'book.yaml:5: "chapters[0].chapters" must list chapters'],
    [`${PLAN}  - file: a.md\n    titel: A\n`, 'book.yaml:5: "chapters[0].titel" is not a key here: a chapter has file, title and chapters'],
    [`${PLAN}  - 42\n`, 'book.yaml:4: "chapters[0]" must be a file name, or a chapter with file:'],
    [`chapter_start: left\n${PLAN.slice(13)}  - a.md\n`, 'book.yaml:1: "chapter_start" must be next or right'],
    ['title: [unclosed\n', 'book.yaml:1: not valid YAML: Flow sequence'],
  ])('refuses a bad plan with one line naming it: %#', async (plan, expected) => {
    await writeFile(outside, '# Outside\n');
    await write({ 'book.yaml': plan, 'a.md': '# A\n\nText.\n', 'b.md': '# B\n\nText.\n', 'notes.txt': 'notes' });
    expect(await failure()).toContain(`${path.join(dir, expected.split(':')[0]!)}:${expected.split(':').slice(1).join(':')}`);
  });

  it('fails with the chapter named when a chapter fails', async () => {
    await write({ 'book.yaml': `${PLAN}  - a.md\n  - b.md\n`, 'a.md': '# A\n\nText.\n', 'b.md': Buffer.from([0x23, 0x20, 0xff, 0x0a]) });
    expect(await failure()).toMatch(new RegExp(`^${path.join(dir, 'b.md')}:1: the file is not valid UTF-8`));
  });
});

describe('an mdBook', () => {
  it('reads book.toml and SUMMARY.md: prefix chapters, parts, nesting, drafts and suffix chapters', async () => {
    await write({
      'book.toml': '[book]\ntitle = "Rusty"\nauthors = ["Ann", "Bo"]\nlanguage = "en"\ndescription = "A test"\n',
      'src/SUMMARY.md':
        '# Summary\n\n[Intro](intro.md)\n\n# Part one\n\n- [First](first.md)\n    - [Nested](first/nested.md)\n- [Draft]()\n\n---\n\n[Appendix](appendix.md)\n',
      'src/intro.md': '# Intro\n\nText.\n',
      'src/first.md': '# First\n\nText.\n',
      'src/first/nested.md': '## Nested\n\nA Rust-book chapter opens with its title as ##.\n',
      'src/appendix.md': '# Appendix\n\nText.\n',
    });
    const { doc } = await load();
    expect(doc.metadata).toMatchObject({ title: 'Rusty', authors: ['Ann', 'Bo'], lang: 'en', description: 'A test' });
    expect(doc.book!.units.map((unit) => [unit.kind, unit.title, unit.level])).toEqual([
      ['chapter', 'Intro', 1],
      ['part', 'Part one', 1],
      ['chapter', 'First', 2],
      ['chapter', 'Nested', 3],
      ['chapter', 'Appendix', 1],
    ]);
    // The ## that repeats the planned title is the title, not a section of its own.
    expect(doc.sections.map((section) => section.title)).toEqual(['Intro', 'Part one', 'First', 'Nested', 'Appendix']);
    expect(doc.warnings.map((notice) => `${path.relative(dir, notice.file!)}:${notice.line}: ${notice.message}`)).toEqual([
      'src/SUMMARY.md:9: "Draft" is a draft chapter (it has no file): it is left out',
    ]);
  });

  it('expands includes from inside the book, with lines, anchors and mdBook escapes', async () => {
    await write({
      'SUMMARY.md': '# Summary\n\n- [Code](code.md)\n',
      'code.md': [
        '# Code',
        '',
        '```rust',
        '{{#include src/lib.rs:item}}',
        '```',
        '',
        '```rust',
        '{{#rustdoc_include src/lib.rs:2:3}}',
        '```',
        '',
        'Written \\{{#include x.rs}} stays, {{#title Other}} warns.',
        '',
        'After.',
        '',
      ].join('\n'),
      'src/lib.rs': 'fn a() {}\n// ANCHOR: item\nfn item() {}\n// ANCHOR_END: item\n',
    });
    const { doc } = await load();
    const html = renderPrintUnits(doc, doc.book!.units).join('');
    const item =
      '<code class="language-rust"><span class="hljs-keyword">fn</span> <span class="hljs-title function_">item</span>() {}\n</code></pre>';
    expect(html.split(item)).toHaveLength(3);
    expect(html).toContain(`${item}\n<p>Written {{#include x.rs}} stays, {{#title Other}} warns.`);
    expect(doc.warnings.filter((notice) => notice.line).map((notice) => [notice.line, notice.message])).toEqual([
      [11, 'the mdBook directive {{#title}} is left as written: galley expands only {{#include}} and {{#rustdoc_include}}'],
    ]);
    expect(doc.sources.map((file) => file.name)).toEqual(['SUMMARY.md', 'code.md', 'src/lib.rs']);
  });

  it.each([
    ['{{#include missing.rs}}', 'code.md:5: {{#include missing.rs}}: no such file'],
    ['{{#include ../outside.md}}', "code.md:5: {{#include ../outside.md}}: the file is outside the book's folder"],
    ['{{#include code.md}}', 'code.md:5: {{#include code.md}}: the file includes itself'],
    ['{{#include lib.rs:nothing}}', 'code.md:5: {{#include lib.rs:nothing}}: the file has no ANCHOR: nothing'],
  ])('an include that cannot be read is an error naming the chapter and line: %s', async (directive, expected) => {
    await writeFile(outside, 'outside the book\n');
    await write({ 'SUMMARY.md': '- [Code](code.md)\n', 'code.md': `# Code\n\nText.\n\n${directive}\n`, 'lib.rs': 'fn a() {}\n' });
    expect(await failure()).toContain(`${path.join(dir, expected.split(':')[0]!)}:${expected.split(':').slice(1).join(':')}`);
  });
});
