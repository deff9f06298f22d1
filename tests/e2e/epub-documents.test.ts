import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeSvg } from '../../src/document/svg.js';
import { runCli } from '../helpers/cli.js';
import {
  type AddedDocument,
  ace,
  asArray,
  epubcheck,
  epubTypesWithoutRole,
  packageOf,
  readEpub,
  withDocumentsAdded,
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

/**
 * The book Ace checks for all of them. Ace costs a browser and about a CPU-second for each XHTML
 * page, so it runs once, on one chapter that holds every fixture's body one after another, under
 * front matter with every key the fixtures set (the hostile values and the own cover winning).
 */
const ALL_IN_ONE = 'all-in-one' as const;

/** A fixture's front matter lines and its body; each front matter line is one key. */
function splitFixture(source: string): { keys: [string, string][]; body: string } {
  const parts = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
  if (!parts) throw new Error(`a fixture without front matter: ${source.slice(0, 40)}`);
  const [, frontMatter, body] = parts;
  const keys = frontMatter!.split('\n').map((line): [string, string] => {
    const key = /^([a-z_]+):/.exec(line)?.[1];
    if (!key) throw new Error(`a fixture's front matter line is not one key: ${line}`);
    return [key, line];
  });
  return { keys, body: body! };
}

function allInOne(sources: string[]): string {
  const keys = new Map<string, string>();
  for (const source of sources) for (const [key, line] of splitFixture(source).keys) keys.set(key, line);
  keys.set('split_level', 'split_level: 1');
  return ['---', ...keys.values(), '---', '', ...sources.map((source) => splitFixture(source).body)].join('\n');
}

/**
 * Each kind of element in some XHTML: its start tag, without the values that name or point at
 * things (an empty alt kept apart from a non-empty one), inside its parent's name.
 */
const NAMING = new Set(['id', 'href', 'src', 'title', 'alt', 'aria-label', 'aria-labelledby', 'datetime', 'content']);
function elementKinds(xhtml: string): Set<string> {
  const kinds = new Set<string>();
  const open: string[] = [];
  for (const [, end, name, attributes, empty] of xhtml.matchAll(/<(\/?)([a-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g)) {
    if (end) {
      open.pop();
      continue;
    }
    const kept = [...attributes!.matchAll(/\s+([\w:-]+)="([^"]*)"/g)].map(
      ([, attribute, value]) => ` ${attribute}="${NAMING.has(attribute!) ? (value ? '…' : '') : value}"`,
    );
    kinds.add(`${open.at(-1) ?? ''} > <${name}${kept.join('')}>`);
    if (!empty) open.push(name!);
  }
  return kinds;
}

/** The all-in-one chapter broken on purpose: images without alt text, a note reference without its role, no language. */
const broken = (xhtml: string) =>
  xhtml
    .replace(/(<html [^>]*?) lang="[^"]*" xml:lang="[^"]*"/, '$1')
    .replace(/(<img\b[^>]*?) alt="[^"]+"/g, '$1')
    .replace(/ role="doc-noteref"/g, '');
const BROKEN = 'broken-chapter.xhtml';

const xhtml = (book: Built, href: string): string => book.epub.text.get(`OEBPS/${href}`)!;
const tocLinks = (book: Built): [string, string][] =>
  [.../<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(xhtml(book, 'nav.xhtml'))![0].matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((match) => [
    match[1]!,
    match[2]!,
  ]);

describe('awkward documents as e-books', () => {
  let dir: string;
  /** Every document, the all-in-one too, built in one run of galley (one browser for the covers). */
  let builds: Map<Name | typeof ALL_IN_ONE, Promise<Built>>;
  /** epubcheck on each document, two JVMs at a time, started as soon as the books are built. */
  let checks: Map<Name, Promise<EpubcheckVerdict>>;
  /** The one Ace run: the all-in-one, every document that has a kind of start tag it lacks, and its broken chapter. */
  let aceRun: Promise<{ report: AceVerdict; added: string[] }>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-epub-docs-'));
    const sources = new Map<Name, string>(DOCUMENTS.map((name) => [name, path.join(FIXTURES, `${name}.md`)]));
    sources.set('hostile', path.join(dir, 'hostile.md'));
    await writeFile(sources.get('hostile')!, HOSTILE);
    // The all-in-one sits beside copies of the fixtures' images, which its body names.
    for (const image of (await readdir(FIXTURES)).filter((file) => !file.endsWith('.md'))) {
      await copyFile(path.join(FIXTURES, image), path.join(dir, image));
    }
    const texts = await Promise.all([...sources.values()].map((source) => readFile(source, 'utf8')));
    await writeFile(path.join(dir, `${ALL_IN_ONE}.md`), allInOne(texts));

    const out = path.join(dir, 'out');
    const run = await runCli('build', ...sources.values(), path.join(dir, `${ALL_IN_ONE}.md`), '--out', out, '--format', 'epub');
    const read = async (name: Name | typeof ALL_IN_ONE): Promise<Built> => {
      const file = path.join(out, `${name}.epub`);
      const epub = await readEpub(file).catch(() => {
        const lines = run.lines.filter((line) => line.includes(`${name}.md`));
        throw new Error(`${name} did not build (galley exited ${run.code}):\n${lines.join('\n') || run.stderr}`);
      });
      return { file, epub, opf: packageOf(epub) };
    };
    builds = new Map([...DOCUMENTS, ALL_IN_ONE].map((name) => [name, read(name)]));

    const twoAtATime = pLimit(2);
    checks = new Map(DOCUMENTS.map((name) => [name, book(name).then((built) => twoAtATime(() => epubcheck(built.file)))]));
    aceRun = (async () => {
      const all = await book(ALL_IN_ONE);
      const covered = new Set<string>();
      for (const [entry, text] of all.epub.text) if (entry.endsWith('.xhtml')) for (const kind of elementKinds(text)) covered.add(kind);
      const added: AddedDocument[] = [];
      for (const name of DOCUMENTS) {
        for (const [entry, text] of (await book(name)).epub.text) {
          if (!entry.endsWith('.xhtml')) continue;
          const kinds = [...elementKinds(text)].filter((kind) => !covered.has(kind));
          if (kinds.length === 0) continue;
          for (const kind of kinds) covered.add(kind);
          added.push({ href: `${name}-${path.basename(entry)}`, xhtml: text });
        }
      }
      added.push({ href: BROKEN, xhtml: broken(xhtml(all, 'section-01.xhtml')) });
      const aceBook = path.join(dir, 'for-ace.epub');
      await withDocumentsAdded(all.file, aceBook, added);
      return { report: await ace(aceBook), added: added.map((document) => document.href) };
    })();
    // Each is awaited by its tests; until then, a failure is theirs to report, not an unhandled rejection.
    for (const pending of [...builds.values(), ...checks.values(), aceRun]) pending.catch(() => undefined);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  function book(name: Name | typeof ALL_IN_ONE): Promise<Built> {
    return builds.get(name)!;
  }

  describe.each(DOCUMENTS)('%s', (name) => {
    it('passes epubcheck with 0 errors and 0 warnings', async () => {
      const check = await checks.get(name)!;
      expect(check, check.output).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
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

  describe('Ace, once for all of them', () => {
    it('passes the all-in-one and the documents added to it with no violation of any impact', async () => {
      const { report, added } = await aceRun;
      expect(report.violations.filter((violation) => violation.file !== BROKEN)).toEqual([]);
      const checked = [...report.outcomes].filter(([file]) => file !== BROKEN);
      expect(checked.map(([file]) => file)).toEqual(
        expect.arrayContaining(['cover.xhtml', 'title-page.xhtml', 'section-01.xhtml', ...added.filter((href) => href !== BROKEN)]),
      );
      for (const [file, outcome] of checked) expect(outcome, file).toBe('pass');
    });

    it('(the Ace check itself) finds what was broken in a copy of the all-in-one chapter, and nothing else there', async () => {
      const { report } = await aceRun;
      expect(report.outcome).toBe('fail');
      expect(
        [...new Set(report.violations.filter((violation) => violation.file === BROKEN).map((violation) => violation.rule))].sort(),
      ).toEqual(['epub-type-has-matching-role', 'html-has-lang', 'image-alt']);
    });

    it('the all-in-one holds every fixture’s body and the front matter under test', async () => {
      const all = await book(ALL_IN_ONE);
      expect(all.opf.spine).toEqual(['cover.xhtml', 'title-page.xhtml', 'section-01.xhtml']);
      expect(all.opf.dc('title')).toEqual([HOSTILE_TITLE]);
      expect(all.opf.manifest.find((item) => item.properties === 'cover-image')?.mediaType).toBe('image/jpeg');
      const chapter = xhtml(all, 'section-01.xhtml');
      for (const name of DOCUMENTS) {
        for (const href of (await book(name)).opf.spine.slice(2)) {
          for (const [, heading] of xhtml(await book(name), href).matchAll(/<h[2-6][^>]*>([^<]+)<\/h[2-6]>/g))
            expect(chapter).toContain(`>${heading}</h`);
        }
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
    // Down to the split level's children: the h4 inside the second chapter, linked to its id.
    expect(toc).toContain(
      '<li><ahref="section-02.xhtml">Partone</a><ol><li><ahref="section-03.xhtml">Firstchapter</a></li><li><ahref="section-04.xhtml">Secondchapter</a><ol><li><ahref="section-04.xhtml#a-subheading-that-stays-inside">Asubheadingthatstaysinside</a></li></ol></li></ol></li>',
    );
    const ncx = (split.epub.xml.get('OEBPS/toc.ncx') as any).ncx;
    const top = asArray(ncx.navMap.navPoint);
    expect(top.map((point: any) => point.navLabel.text)).toEqual(['Parts and chapters', 'Part one', 'Part two']);
    expect(asArray(top[1].navPoint).map((point: any) => [point.navLabel.text, point['@playOrder']])).toEqual([
      ['First chapter', '3'],
      ['Second chapter', '4'],
    ]);
    expect(asArray(ncx.head.meta).find((meta: any) => meta['@name'] === 'dtb:depth')['@content']).toBe('3');
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

  it('loads nothing from outside: a remote image in cover.svg is removed and reported', async () => {
    const templates = path.join(dir, 'templates');
    await mkdir(templates);
    const cover = (await readFile('templates/cover.svg', 'utf8')).replace(
      '<rect width="{{width}}"',
      '<image href="https://images.example.com/cover.png" width="1600" height="2560"/>\n  <rect width="{{width}}"',
    );
    await writeFile(path.join(templates, 'cover.svg'), cover);
    const run = await runCli('build', 'content', '--out', path.join(dir, 'out'), '--format', 'epub', '--templates', templates);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines).toContainEqual(
      expect.stringMatching(/warning: cover\.svg: removed the reference href="https:\/\/images\.example\.com\/cover\.png" of <image>$/),
    );
  });
});
