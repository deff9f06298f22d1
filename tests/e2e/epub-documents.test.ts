import { readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeSvg } from '../../src/document/svg.js';
import { runCli } from '../helpers/cli.js';
import {
  ace,
  asArray,
  epubcheck,
  epubTypesWithoutRole,
  packageOf,
  readEpub,
  type AceVerdict,
  type EpubcheckVerdict,
  type EpubReadBack,
  type PackageView,
} from '../helpers/epub.js';

const FIXTURES = path.resolve('tests/fixtures/epub');
const DOCUMENTS = ['images', 'footnotes', 'tables', 'duplicate-headings', 'split-levels', 'own-cover', 'hostile'] as const;
type Name = (typeof DOCUMENTS)[number];

// Front matter values are cleaned of control characters by the options schema; the body is not.
const HOSTILE = [
  '---',
  'title: "Tom & Jerry <b>\\"bold\\"</b> </title>\\u0007 \\u001b[31m"',
  'author: ["A & B <c@d.e> \\"Q\\"\\u0001", "Zoë O\'Brien"]',
  'description: "Less < more & \\"quotes\\" \\u0002"',
  'keywords: ["a&b", "<c>"]',
  'publisher: "P & <Q>"',
  'rights: "© \\"R\\" & <S>"',
  '---',
  '',
  'Body with a bell \u0007, an escape \u001b, DEL \u007f and a C1 \u0085 control, & < > "quotes".',
  '',
  '## Q&A "quoted" \u0008 heading',
  '',
  'Text & more.',
  '',
  '## \u0001',
  '',
  'The heading above holds only a control character.',
  '',
].join('\n');
const HOSTILE_TITLE = 'Tom & Jerry <b>"bold"</b> </title> [31m';

interface Built {
  file: string;
  epub: EpubReadBack;
  opf: PackageView;
}

const xhtml = (book: Built, href: string): string => book.epub.text.get(`OEBPS/${href}`)!;
const tocLinks = (book: Built): [string, string][] =>
  [.../<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(xhtml(book, 'nav.xhtml'))![0].matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((match) => [
    match[1]!,
    match[2]!,
  ]);

describe('awkward documents as e-books', () => {
  let dir: string;
  const builds = new Map<Name, Promise<Built>>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-epub-docs-'));
    await writeFile(path.join(dir, 'hostile.md'), HOSTILE);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Builds a document the first time a test asks for it; each alone, so that a failure names its document. */
  function book(name: Name): Promise<Built> {
    const started = builds.get(name) ?? buildOne(name);
    builds.set(name, started);
    return started;
  }

  async function buildOne(name: Name): Promise<Built> {
    const source = name === 'hostile' ? path.join(dir, 'hostile.md') : path.join(FIXTURES, `${name}.md`);
    const run = await runCli('build', source, '--out', path.join(dir, name), '--format', 'epub');
    if (run.code !== 0) throw new Error(`${name} did not build:\n${run.stderr}`);
    const file = path.join(dir, name, `${name}.epub`);
    const epub = await readEpub(file);
    return { file, epub, opf: packageOf(epub) };
  }

  describe.each(DOCUMENTS)('%s', (name) => {
    let check: EpubcheckVerdict;
    let report: AceVerdict;
    beforeAll(async () => {
      const { file } = await book(name);
      [check, report] = await Promise.all([epubcheck(file), ace(file)]);
    });

    it('passes epubcheck with 0 errors and 0 warnings', () => {
      expect(check, check.output).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
    });

    it('passes Ace with no violation of any impact', () => {
      expect(report.violations).toEqual([]);
      expect(report.outcome).toBe('pass');
    });

    it('opens with the cover, then the title page; lang on every document; every epub:type with its role', async () => {
      const { opf, epub } = await book(name);
      expect(opf.spine.slice(0, 3)).toEqual(['cover.xhtml', 'title-page.xhtml', 'section-01.xhtml']);
      expect(opf.manifest.filter((item) => item.properties === 'cover-image')).toHaveLength(1);
      for (const [entry, text] of epub.text) {
        if (!entry.endsWith('.xhtml')) continue;
        expect(text, entry).toMatch(/<html [^>]*lang="[a-z]{2}[^"]*" xml:lang="[a-z]{2}[^"]*"/);
        expect(epubTypesWithoutRole(text), entry).toEqual([]);
      }
    });
  });

  it('images: every image file packed once, typed by its bytes (SVG, and a PNG named .jpg), alt text carried, decorative ones marked', async () => {
    const images = await book('images');
    const { opf, epub } = images;
    const packed = opf.manifest.filter((item) => item.href.startsWith('images/image-'));
    expect(packed.map(({ href, mediaType }) => [href, mediaType])).toEqual([
      ['images/image-1.png', 'image/png'],
      ['images/image-2.svg', 'image/svg+xml'],
      ['images/image-3.png', 'image/png'],
    ]);
    expect(epub.bytes.get('OEBPS/images/image-1.png')).toEqual(new Uint8Array(await readFile(path.join(FIXTURES, 'bars.png'))));
    // An SVG is packed as the sanitizer rewrote it, not as the file was written.
    expect(epub.bytes.get('OEBPS/images/image-2.svg')).toEqual(
      sanitizeSvg(await readFile(path.join(FIXTURES, 'diagram.svg'), 'utf8')).bytes,
    );
    expect(epub.bytes.get('OEBPS/images/image-3.png')).toEqual(new Uint8Array(await readFile(path.join(FIXTURES, 'photo-named.jpg'))));
    expect(epub.entries.filter((entry) => entry.startsWith('OEBPS/images/'))).toHaveLength(4);

    const tags = opf.spine.slice(2).flatMap((href) => [...xhtml(images, href).matchAll(/<img [^>]*>/g)].map((match) => match[0]));
    expect(tags).toEqual([
      '<img alt="Bar chart: crossings rose in each of the three years" src="images/image-1.png"/>',
      '<img alt="Diagram: three steps from the border to safety" title="From border to safety" src="images/image-2.svg"/>',
      '<img alt="Bar chart, repeated" src="images/image-1.png"/>',
      '<img alt="Checked pattern" src="images/image-3.png"/>',
      '<img role="presentation" alt="" src="images/image-3.png"/>',
      '<img role="presentation" src="images/image-2.svg" alt=""/>',
      '<img alt="Bar chart, third time" src="images/image-1.png"/>',
    ]);
    expect(opf.meta('schema:accessModeSufficient')).toEqual(['textual,visual']);
  });

  it('footnotes: pop-up notes in the chapter that refers to them, each linking back to its references there', async () => {
    const footnotes = await book('footnotes');
    const chapters = footnotes.opf.spine.slice(2).map((href) => xhtml(footnotes, href));
    const notesIn = (text: string) =>
      [...text.matchAll(/<aside epub:type="footnote" role="doc-footnote" id="([^"]+)"/g)].map((match) => match[1]);
    expect(chapters.map(notesIn)).toEqual([['fn1', 'fn2'], ['fn1', 'fn3', 'fn4'], []]);

    for (const text of chapters) {
      const ids = new Set([...text.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]));
      const refs = [...text.matchAll(/<a epub:type="noteref" role="doc-noteref" id="([^"]+)" href="([^"]+)">/g)];
      for (const [, refId, href] of refs) {
        expect(href).toMatch(/^#fn\d+$/);
        expect(ids.has(href!.slice(1))).toBe(true);
        expect(text).toContain(`<a href="#${refId}" role="doc-backlink"`);
      }
      for (const [, target] of text.matchAll(/<a href="#([^"]+)" role="doc-backlink"/g)) expect(ids.has(target)).toBe(true);
    }
    expect(chapters[0]!.match(/role="doc-backlink"/g)).toHaveLength(3);
    expect(chapters[2]).toContain('<a href="section-02.xhtml#second-chapter">the second chapter</a>');
  });

  it('footnotes: creators filed by family name, subjects from keywords', async () => {
    const { opf } = await book('footnotes');
    expect(opf.dc('creator')).toEqual(['Ana Souza', 'Jean-Luc Picard Jr.']);
    expect(opf.refines('creator-1', 'file-as')).toEqual(['Souza, Ana']);
    expect(opf.refines('creator-2', 'file-as')).toEqual(['Picard, Jean-Luc, Jr.']);
    expect(opf.refines('creator-1', 'role')).toEqual(['aut']);
    expect(opf.dc('subject')).toEqual(['footnotes', 'testing']);
  });

  it('tables: kept as tables, aligned, an empty corner cell is not a header', async () => {
    const tables = await book('tables');
    const [first, second] = tables.opf.spine.slice(2).map((href) => xhtml(tables, href));
    expect(first).toContain('<th style="text-align:right">Crossings</th>');
    expect(first).toMatch(
      /<th style="text-align:center">Returned<sup class="noteref"><a epub:type="noteref"[^>]*href="#fn1">1<\/a><\/sup><\/th>/,
    );
    expect(second).toMatch(/<thead>\s*<tr>\s*<td(?:\/>|><\/td>)\s*<th>North<\/th>/);
  });

  it('duplicate headings: a chapter file and a nav entry each, links kept apart', async () => {
    const duplicate = await book('duplicate-headings');
    expect(tocLinks(duplicate)).toEqual([
      ['section-01.xhtml', 'Background, twice'],
      ['section-02.xhtml', 'Background'],
      ['section-03.xhtml', 'Background'],
      ['section-04.xhtml', 'Background'],
    ]);
    expect(
      ['section-02.xhtml', 'section-03.xhtml', 'section-04.xhtml'].map((href) => /<h2 id="([^"]+)"/.exec(xhtml(duplicate, href))![1]),
    ).toEqual(['background', 'background-1', 'background-2']);
    const ncx = duplicate.epub.xml.get('OEBPS/toc.ncx') as any;
    expect(new Set(asArray(ncx.ncx.navMap.navPoint).map((point: any) => point['@id'])).size).toBe(4);
    const third = xhtml(duplicate, 'section-03.xhtml');
    expect(third).toContain('<a href="section-02.xhtml#background">the first</a>');
    expect(third).toContain('<a href="#background-1">itself</a>');
  });

  it('split_level 3: parts and chapters as files, nested in the nav and the NCX', async () => {
    const split = await book('split-levels');
    expect(split.opf.spine.slice(2)).toEqual([
      'section-01.xhtml',
      'section-02.xhtml',
      'section-03.xhtml',
      'section-04.xhtml',
      'section-05.xhtml',
    ]);
    const toc = /<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(xhtml(split, 'nav.xhtml'))![0].replace(/\s+/g, '');
    expect(toc).toContain(
      '<li><ahref="section-02.xhtml">Partone</a><ol><li><ahref="section-03.xhtml">Firstchapter</a></li><li><ahref="section-04.xhtml">Secondchapter</a></li></ol></li>',
    );
    const ncx = (split.epub.xml.get('OEBPS/toc.ncx') as any).ncx;
    const top = asArray(ncx.navMap.navPoint);
    expect(top.map((point: any) => point.navLabel.text)).toEqual(['Parts and chapters', 'Part one', 'Part two']);
    expect(asArray(top[1].navPoint).map((point: any) => [point.navLabel.text, point['@playOrder']])).toEqual([
      ['First chapter', '3'],
      ['Second chapter', '4'],
    ]);
    expect(asArray(ncx.head.meta).find((meta: any) => meta['@name'] === 'dtb:depth')['@content']).toBe('2');
    expect(xhtml(split, 'section-04.xhtml')).toContain('A subheading that stays inside</h4>');
  });

  it('own cover: the front matter image, typed by its bytes; identifier, publisher and rights from the front matter', async () => {
    const ownCover = await book('own-cover');
    const { opf, epub } = ownCover;
    expect(opf.manifest.find((item) => item.properties === 'cover-image')).toEqual({
      id: 'cover-image',
      href: 'images/cover.jpg',
      mediaType: 'image/jpeg',
      properties: 'cover-image',
    });
    expect(epub.bytes.get('OEBPS/images/cover.jpg')).toEqual(new Uint8Array(await readFile(path.join(FIXTURES, 'own-cover.jpeg'))));
    expect(xhtml(ownCover, 'cover.xhtml')).toContain('alt="A book with its own cover"');
    expect(opf.dc('identifier')).toEqual(['urn:isbn:9780000000002']);
    expect(opf.dc('publisher')).toEqual(['Galley Test Press']);
    expect(opf.dc('rights')).toEqual(['© 2024 Galley Test Press. Some rights reserved.']);
    expect(xhtml(ownCover, 'title-page.xhtml')).toContain('<p class="rights">© 2024 Galley Test Press. Some rights reserved.</p>');
  });

  it('hostile: & < > " kept as text, control characters gone, everywhere', async () => {
    const hostile = await book('hostile');
    const { opf, epub } = hostile;
    expect(opf.dc('title')).toEqual([HOSTILE_TITLE]);
    expect(opf.dc('creator')).toEqual(['A & B <c@d.e> "Q"', "Zoë O'Brien"]);
    expect(opf.refines('creator-2', 'file-as')).toEqual(["O'Brien, Zoë"]);
    expect(opf.dc('subject')).toEqual(['a&b', '<c>']);
    expect(opf.dc('rights')).toEqual(['© "R" & <S>']);
    for (const [entry, text] of epub.text) expect(text, entry).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
    expect(xhtml(hostile, 'title-page.xhtml')).toContain(
      '<h1 id="title" class="title">Tom &amp; Jerry &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &lt;/title&gt; [31m</h1>',
    );
    expect(xhtml(hostile, 'section-01.xhtml')).toContain('&amp; &lt; &gt; \u201cquotes\u201d');
    expect(tocLinks(hostile).map(([, title]) => title)).toEqual([
      'Tom &amp; Jerry &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &lt;/title&gt; [31m',
      'Q&amp;A “quoted”  heading',
      '§ 3',
    ]);
    expect(xhtml(hostile, 'section-03.xhtml')).not.toMatch(/<h2/);
  });
});

describe('split level from the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-epub-split-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--split-level wins over front matter split_level', async () => {
    const run = await runCli('build', path.join(FIXTURES, 'split-levels.md'), '--out', dir, '--format', 'epub', '--split-level', '2');
    expect(run.code, run.stderr).toBe(0);
    const { spine } = packageOf(await readEpub(path.join(dir, 'split-levels.epub')));
    expect(spine.slice(2)).toEqual(['section-01.xhtml', 'section-02.xhtml', 'section-03.xhtml']);
  });

  it('--split-level 1 keeps an article without # headings in one chapter', async () => {
    const run = await runCli('build', 'content', '--out', dir, '--format', 'epub', '--split-level', '1');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('(1 chapter)');
    const epub = await readEpub(path.join(dir, 'beyond-utopia.epub'));
    expect(packageOf(epub).spine).toEqual(['cover.xhtml', 'title-page.xhtml', 'section-01.xhtml']);
    expect(xhtml({ epub } as Built, 'section-01.xhtml').match(/<h2 /g)).toHaveLength(3);
  });
});

describe('the generated cover page', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-epub-cover-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads nothing from the network: a remote stylesheet in cover.html is refused and reported', async () => {
    const templates = path.join(dir, 'templates');
    await mkdir(templates);
    const cover = (await readFile('templates/cover.html', 'utf8')).replace(
      '<style>',
      '<link rel="stylesheet" href="https://fonts.example.com/cover.css">\n<style>',
    );
    await writeFile(path.join(templates, 'cover.html'), cover);
    const run = await runCli('build', 'content', '--out', path.join(dir, 'out'), '--format', 'epub', '--templates', templates);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines).toContainEqual(expect.stringMatching(/warning: refused to load https:\/\/fonts\.example\.com\/cover\.css/));
  });
});
