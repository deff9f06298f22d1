import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverCache } from '../../src/cover/cover-cache.js';
import { loadDocument } from '../../src/document/load.js';
import { bookMetadata, coverBook } from '../../src/epub/book-metadata.js';
import { frontMatterMetadata } from '../../src/document/markdown-file.js';
import { generatedCover, imageExtension, makeCover } from '../../src/epub/cover.js';
import { BUILTIN_TEMPLATES_DIR, loadTemplates } from '../../src/render/templates.js';
import { pngSize } from '../helpers/epub.js';

const FIXTURES = path.resolve('tests/fixtures/epub');

describe('cover', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-cover-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes front matter `cover` as it is, typed by its bytes', async () => {
    const doc = await loadDocument(path.join(FIXTURES, 'own-cover.md'));
    const cover = await makeCover(doc, bookMetadata(doc), await loadTemplates(), new CoverCache(path.join(dir, 'unused')));
    expect(cover.mediaType).toBe('image/jpeg');
    expect(cover.bytes).toEqual(new Uint8Array(await readFile(path.join(FIXTURES, 'own-cover.jpeg'))));
    expect(cover.alt).toBe('A book with its own cover');
    await expect(readdir(path.join(dir, 'unused'))).rejects.toThrow(/ENOENT/);
  });

  it('draws a 1600×2560 PNG from cover.svg without a browser, once: the next build takes it from the cache', async () => {
    const doc = await loadDocument(path.resolve('content/beyond-utopia.md'));
    const cacheDir = path.join(dir, 'covers');
    const drawn = await makeCover(doc, bookMetadata(doc), await loadTemplates(), new CoverCache(cacheDir));
    expect(drawn.mediaType).toBe('image/png');
    expect(pngSize(drawn.bytes)).toEqual({ width: 1600, height: 2560 });
    // Encoded for size: Chrome's screenshot of the same cover was 306 KB.
    expect(drawn.bytes.byteLength).toBeLessThan(250_000);
    expect(drawn.alt).toMatch(/^Documentary reveals perilous path for North Korean defectors\. An award-winning documentary/);
    const [entry] = await readdir(cacheDir);
    expect(entry).toMatch(/^[0-9a-f]{64}\.cover$/);
    // The entry is its warnings, a line of JSON, then the PNG's bytes as they are.
    const file = await readFile(path.join(cacheDir, entry!));
    const end = file.indexOf(0x0a);
    expect(JSON.parse(file.subarray(0, end).toString('utf8'))).toEqual([]);
    expect(new Uint8Array(file.subarray(end + 1))).toEqual(new Uint8Array(drawn.bytes));

    // A cached cover is used as it is: a changed entry shows, a broken one is drawn again.
    await writeFile(path.join(cacheDir, entry!), Buffer.concat([Buffer.from('["from the cache"]\n'), file.subarray(end + 1)]));
    const again = await makeCover(doc, bookMetadata(doc), await loadTemplates(), new CoverCache(cacheDir));
    expect(again.warnings).toEqual([{ message: 'from the cache' }]);
    expect(new Uint8Array(again.bytes)).toEqual(new Uint8Array(drawn.bytes));
    for (const broken of ['{"png": 1', '[]\nnot a PNG', '[1]\n\x89PNG\r\n\x1a\n.']) {
      await writeFile(path.join(cacheDir, entry!), broken, 'latin1');
      const redrawn = await makeCover(doc, bookMetadata(doc), await loadTemplates(), new CoverCache(cacheDir));
      expect(redrawn.warnings, broken).toEqual([]);
      expect(new Uint8Array(redrawn.bytes), broken).toEqual(new Uint8Array(drawn.bytes));
    }
  });

  it('a cover template that fails fails its document, naming the template', async () => {
    const doc = await loadDocument(path.resolve('content/beyond-utopia.md'));
    const templates = path.join(dir, 'broken-templates');
    await mkdir(templates);
    const source = await readFile(path.join(BUILTIN_TEMPLATES_DIR, 'cover.svg'), 'utf8');
    await writeFile(path.join(templates, 'cover.svg'), source.replace('</svg>', '<rect></svg>'));
    const error = await makeCover(doc, bookMetadata(doc), await loadTemplates(templates), new CoverCache(path.join(dir, 'c2'))).catch(
      (caught: Error) => caught,
    );
    expect(String(error)).toMatch(
      new RegExp(`^${path.join(templates, 'cover.svg')}(:\\d+)?: the cover template does not make an SVG: not well-formed XML`),
    );

    await writeFile(
      path.join(templates, 'cover.svg'),
      source.replace('<rect width="{{width}}"', '<image href="https://example.com/x.png" width="5" height="5"/><rect width="{{width}}"'),
    );
    const refused = await makeCover(doc, bookMetadata(doc), await loadTemplates(templates), new CoverCache(path.join(dir, 'c3')));
    expect(refused.warnings).toEqual([{ message: `cover.svg: removed the reference href="https://example.com/x.png" of <image>` }]);

    await writeFile(path.join(templates, 'cover.svg'), source.replace('</svg>', '<text x="10" y="10">{{title}}</text></svg>'));
    const texted = await makeCover(doc, bookMetadata(doc), await loadTemplates(templates), new CoverCache(path.join(dir, 'c4')));
    expect(texted.warnings).toEqual([{ message: "cover.svg: its <text> is not drawn: galley sets the cover's words (use the blocks' d)" }]);
  });

  it('is asked for from the front matter when that gives the title and the language: the same cover, drawn once', async () => {
    const file = path.resolve('content/beyond-utopia.md');
    const doc = await loadDocument(file);
    const early = await frontMatterMetadata(file, 10_000_000);
    expect(early).toEqual(doc.metadata);
    const templates = await loadTemplates();
    const covers = new CoverCache(path.join(dir, 'early'));
    const draws: string[] = [];
    const drawOnce = covers.drawOnce.bind(covers);
    covers.drawOnce = (key, draw) =>
      drawOnce(key, () => {
        draws.push(key);
        return draw();
      });
    const first = generatedCover(coverBook(early!, doc.name), templates, covers);
    const made = await makeCover(doc, bookMetadata(doc), templates, covers);
    expect(draws).toHaveLength(1);
    expect(new Uint8Array(made.bytes)).toEqual(new Uint8Array((await first).bytes));

    // Without a title or a language in the front matter (the body gives them), or with a cover image, it waits for the whole document.
    const write = async (name: string, text: string) => {
      const written = path.join(dir, name);
      await writeFile(written, text);
      return frontMatterMetadata(written, 10_000_000);
    };
    expect(await write('untitled.md', '---\nlang: en\n---\n\n# A heading\n\nText.\n')).toBeUndefined();
    expect(await write('no-lang.md', '---\ntitle: A title\n---\n\nText.\n')).toBeUndefined();
    expect(await write('own-cover.md', '---\ntitle: A title\nlang: en\ncover: c.jpg\n---\n\nText.\n')).toBeUndefined();
    // Front matter that does not parse is for the document's reading to report.
    expect(await write('broken.md', '---\ntitle: [unclosed\nlang: en\n---\n\nText.\n')).toBeUndefined();
    expect(await frontMatterMetadata(path.join(dir, 'missing.md'), 10_000_000)).toBeUndefined();
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
