import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { bookMetadata, fileAs, textDirection } from '../../src/epub/book-metadata.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-book-metadata-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function doc(name: string, markdown: string) {
  const file = path.join(dir, name);
  await writeFile(file, markdown);
  return loadDocument(file);
}

describe('file-as', () => {
  it.each([
    ['Jane Doe', 'en', 'Doe, Jane'],
    ['Ludwig van Beethoven', 'de', 'Beethoven, Ludwig van'],
    ['Martin Luther King Jr.', 'en', 'King, Martin Luther, Jr.'],
    ['Martin Luther King, Jr.', 'en', 'King, Martin Luther, Jr.'],
    ['Doe, Jane', 'en', 'Doe, Jane'],
    ['Madonna', 'en', 'Madonna'],
    ['Kim Jong Un', 'ko', 'Kim Jong Un'],
    ['김민지', 'ko-KR', '김민지'],
    ['Nagy Imre', 'hu', 'Nagy Imre'],
  ])('%s (%s) files as %s', (name, lang, expected) => {
    expect(fileAs(name, lang)).toBe(expected);
  });
});

describe('book metadata', () => {
  it('reads right-to-left languages as such', () => {
    expect(['ar', 'he-IL', 'fa', 'en', 'zh-Hant', 'ur-PK'].map(textDirection)).toEqual(['rtl', 'rtl', 'rtl', 'ltr', 'ltr', 'rtl']);
  });

  it('derives a stable identifier from the file name and title, unless the front matter gives one', async () => {
    const derived = bookMetadata(await doc('a.md', '---\ntitle: Same\n---\nText.\n')).identifier;
    expect(derived).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bookMetadata(await doc('a.md', '---\ntitle: Same\n---\nOther text.\n')).identifier).toBe(derived);
    expect(bookMetadata(await doc('b.md', '---\ntitle: Same\n---\nText.\n')).identifier).not.toBe(derived);
    expect(bookMetadata(await doc('a.md', '---\ntitle: Same\nidentifier: urn:isbn:9780000000002\n---\nText.\n')).identifier).toBe(
      'urn:isbn:9780000000002',
    );
  });

  it('dates the edition from SOURCE_DATE_EPOCH, else from the article, never from the clock', async () => {
    const dated = await doc('a.md', '---\ntitle: T\ndate: 2023-12-17\n---\nText.\n');
    const before = process.env.SOURCE_DATE_EPOCH;
    try {
      delete process.env.SOURCE_DATE_EPOCH;
      expect(bookMetadata(dated).modified).toBe('2023-12-17T00:00:00Z');
      process.env.SOURCE_DATE_EPOCH = '1700000000';
      expect(bookMetadata(dated).modified).toBe('2023-11-14T22:13:20Z');
    } finally {
      if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = before;
    }
  });

  it('keeps control characters out of a title taken from the text, and never leaves it empty', async () => {
    expect(bookMetadata(await doc('c.md', '# Title \u0007 & more\n\nText.\n')).title).toBe('Title  & more');
    expect(bookMetadata(await doc('empty-title.md', '---\ntitle: "\\u0007"\n---\nText.\n')).title).toBe('empty-title');
  });

  it('gives each author an id and a file-as name', async () => {
    const { creators } = bookMetadata(await doc('d.md', '---\nauthor: [Ana Souza, Kim Min-ji]\nlang: pt-BR\n---\nText.\n'));
    expect(creators).toEqual([
      { id: 'creator-1', name: 'Ana Souza', fileAs: 'Souza, Ana' },
      { id: 'creator-2', name: 'Kim Min-ji', fileAs: 'Min-ji, Kim' },
    ]);
  });
});
