import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { bookMetadata } from '../../src/epub/book-metadata.js';
import { imageExtension, makeCover, titleSize } from '../../src/epub/cover.js';
import { loadTemplates } from '../../src/render/templates.js';

const FIXTURES = path.resolve('tests/fixtures/epub');

describe('cover', () => {
  it('takes front matter `cover` as it is, typed by its bytes, without a browser', async () => {
    const doc = await loadDocument(path.join(FIXTURES, 'own-cover.md'));
    const noBrowser = { newPage: () => Promise.reject(new Error('no browser for a given cover')), release: async () => undefined };
    const cover = await makeCover(doc, bookMetadata(doc), await loadTemplates(), noBrowser);
    expect(cover.mediaType).toBe('image/jpeg');
    expect(cover.bytes).toEqual(new Uint8Array(await readFile(path.join(FIXTURES, 'own-cover.jpeg'))));
    expect(cover.alt).toBe('A book with its own cover');
  });

  it('fills cover.html with escaped values and galley’s fonts', async () => {
    const html = (await loadTemplates()).render.cover({
      title: 'A & <B>',
      standfirst: 'S "quoted"',
      dateText: '1 May 2024',
      date: '2024-05-01',
      authors: ['X <y>'],
      lang: 'en',
      dir: 'ltr',
      fonts: { serif: 'file:///fonts/serif/', sans: 'file:///fonts/sans/' },
      titleSize: 'title-m',
      width: 1600,
      height: 2560,
    });
    expect(html).toContain('<h1 class="title-m">A &amp; &lt;B&gt;</h1>');
    expect(html).toContain('S &quot;quoted&quot;');
    expect(html).toContain('X &lt;y&gt;');
    expect(html).toContain('<link rel="stylesheet" href="file:///fonts/serif/600.css">');
    expect(html).not.toMatch(/https?:/);
  });

  it('sets long titles smaller', () => {
    expect(['Short', 'x'.repeat(40), 'x'.repeat(60), 'x'.repeat(100), 'x'.repeat(200)].map(titleSize)).toEqual([
      'title-xl',
      'title-l',
      'title-m',
      'title-s',
      'title-xs',
    ]);
  });

  it('names image files by their type', () => {
    expect(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml'].map(imageExtension)).toEqual([
      'png',
      'jpg',
      'gif',
      'webp',
      'svg',
    ]);
    expect(() => imageExtension('image/bmp')).toThrow(/image\/bmp/);
  });
});
