import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import {
  ace,
  asArray,
  epubcheck,
  epubTypesWithoutRole,
  packageOf,
  pngSize,
  readEpub,
  type AceVerdict,
  type EpubcheckVerdict,
  type EpubReadBack,
  type PackageView,
} from '../helpers/epub.js';

const TITLE = 'Documentary reveals perilous path for North Korean defectors';
const SECTIONS = ['China sends defectors back', 'United Nations resolution', 'Kim Jong Un sheds tears'];

describe('the article as an e-book', () => {
  let out: string;
  let file: string;
  let epub: EpubReadBack;
  let opf: PackageView;
  let check: EpubcheckVerdict;
  let report: AceVerdict;
  /** Ace on the same book stripped of its accessibility metadata: the proof that the check can fail. */
  let strippedReport: AceVerdict;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'galley-epub-article-'));
    const run = await runCli('build', 'content', '--out', path.join(out, 'first'), '--format', 'epub');
    expect(run.code, run.stderr).toBe(0);
    file = path.join(out, 'first', 'beyond-utopia.epub');
    epub = await readEpub(file);
    opf = packageOf(epub);
    [check, report, strippedReport] = await Promise.all([epubcheck(file), ace(file), ace(await stripped())]);
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  /** The same book without its schema: metadata, for the Ace run that must fail, run alongside the one that must pass. */
  async function stripped(): Promise<string> {
    const zip = await JSZip.loadAsync(await readFile(file));
    const source = epub.text.get('OEBPS/content.opf')!;
    zip.file('OEBPS/content.opf', source.replace(/\s*<meta property="schema:[^>]*>[^<]*<\/meta>/g, ''));
    const broken = path.join(out, 'stripped.epub');
    await writeFile(broken, await zip.generateAsync({ type: 'uint8array', mimeType: 'application/epub+zip' }));
    const view = packageOf(await readEpub(broken));
    expect([view.spine, view.meta('schema:accessMode'), view.meta('schema:accessibilitySummary')]).toEqual([opf.spine, [], []]);
    return broken;
  }

  it('passes epubcheck with 0 errors and 0 warnings', () => {
    expect(check, check.output).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
  });

  it('passes Ace by DAISY with no violation of any impact', () => {
    expect(report.violations).toEqual([]);
    expect(report.outcome).toBe('pass');
  });

  it('reads cover, title page, then the opening and the three sections', () => {
    expect(opf.spine).toEqual([
      'cover.xhtml',
      'title-page.xhtml',
      'section-01.xhtml',
      'section-02.xhtml',
      'section-03.xhtml',
      'section-04.xhtml',
    ]);
    const headings = opf.spine.slice(3).map((href) => /<h2[^>]*>([^<]*)<\/h2>/.exec(epub.text.get(`OEBPS/${href}`)!)?.[1]);
    expect(headings).toEqual(SECTIONS);
  });

  it('has a generated 1600×2560 PNG cover, marked cover-image, shown by the first spine item with its alt text', () => {
    const coverItems = opf.manifest.filter((item) => item.properties?.split(' ').includes('cover-image'));
    expect(coverItems).toEqual([{ id: 'cover-image', href: 'images/cover.png', mediaType: 'image/png', properties: 'cover-image' }]);
    expect(pngSize(epub.bytes.get('OEBPS/images/cover.png')!)).toEqual({ width: 1600, height: 2560 });

    const coverPage = epub.text.get(`OEBPS/${opf.spine[0]}`)!;
    const image = /<img [^>]*>/.exec(coverPage)![0];
    expect(image).toContain('src="images/cover.png"');
    expect(image).toContain('epub:type="cover" role="doc-cover"');
    expect(image).toMatch(new RegExp(`alt="${TITLE}\\. An award-winning documentary [^"]+\\. December 17, 2023\\."`));
  });

  it('opens with a title page carrying title, standfirst and date; the text does not repeat them', () => {
    const titlePage = epub.text.get('OEBPS/title-page.xhtml')!;
    expect(titlePage).toContain('epub:type="titlepage"');
    expect(titlePage).toContain(`<h1 id="title" class="title">${TITLE}</h1>`);
    expect(titlePage).toMatch(/<p class="standfirst"[^>]*>An award-winning documentary/);
    expect(titlePage).toContain('<time datetime="2023-12-17">December 17, 2023</time>');
    expect(epub.text.get('OEBPS/section-01.xhtml')).not.toContain('<h1');
  });

  it('lists the chapters in the nav and the NCX, and the cover, title page and start of text as landmarks', () => {
    const nav = epub.text.get('OEBPS/nav.xhtml')!;
    const toc = /<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(nav)![0];
    expect([...toc.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((match) => [match[1], match[2]])).toEqual([
      ['section-01.xhtml', TITLE],
      ...SECTIONS.map((title, index) => [`section-0${index + 2}.xhtml`, title]),
    ]);
    const landmarks = /<nav epub:type="landmarks"[\s\S]*?<\/nav>/.exec(nav)![0];
    expect([...landmarks.matchAll(/<a epub:type="([^"]+)" href="([^"]+)">/g)].map((match) => [match[1], match[2]])).toEqual([
      ['cover', 'cover.xhtml'],
      ['titlepage', 'title-page.xhtml'],
      ['bodymatter', 'section-01.xhtml'],
    ]);
    const ncx = epub.xml.get('OEBPS/toc.ncx') as any;
    const points = asArray(ncx.ncx.navMap.navPoint);
    expect(points.map((point: any) => [point.navLabel.text, point.content['@src'], point['@playOrder']])).toEqual([
      [TITLE, 'section-01.xhtml', '1'],
      ...SECTIONS.map((title, index) => [title, `section-0${index + 2}.xhtml`, String(index + 2)]),
    ]);
    const uid = asArray(ncx.ncx.head.meta).find((meta: any) => meta['@name'] === 'dtb:uid')['@content'];
    expect(uid).toBe(opf.dc('identifier')[0]);
  });

  it('writes the metadata: identifier, title, language, date, description, modified date', () => {
    expect(opf.dc('identifier')).toEqual([
      expect.stringMatching(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    ]);
    expect(opf.dc('title')).toEqual([TITLE]);
    expect(opf.dc('language')).toEqual(['en']);
    expect(opf.dc('date')).toEqual(['2023-12-17']);
    expect(opf.dc('description')[0]).toMatch(/^An award-winning documentary/);
    expect(opf.meta('dcterms:modified')).toEqual(['2023-12-17T00:00:00Z']);
    expect(opf.dc('creator')).toEqual([]);
    expect(opf.dc('rights')).toEqual([]);
  });

  it('declares its accessibility in schema.org terms', () => {
    expect(opf.meta('schema:accessMode')).toEqual(['textual', 'visual']);
    expect(opf.meta('schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(opf.meta('schema:accessibilityFeature')).toEqual(
      expect.arrayContaining(['structuralNavigation', 'tableOfContents', 'readingOrder', 'alternativeText', 'displayTransformability']),
    );
    expect(opf.meta('schema:accessibilityHazard')).toEqual(['none']);
    expect(opf.meta('schema:accessibilitySummary')[0]).toMatch(/table of contents/);
  });

  it('sets the language on every document and pairs every epub:type with its ARIA role', () => {
    const documents = [...epub.text.entries()].filter(([name]) => name.endsWith('.xhtml'));
    expect(documents.length).toBe(7);
    expect(epubTypesWithoutRole('<section epub:type="chapter">')).toHaveLength(1);
    for (const [name, text] of documents) {
      expect(text, name).toMatch(/<html [^>]*lang="en" xml:lang="en"/);
      expect(epubTypesWithoutRole(text), name).toEqual([]);
    }
  });

  it('styles for e-readers: relative sizes, no fonts, no colours but in code blocks (which bring their own background)', () => {
    const css = new TextDecoder().decode(epub.bytes.get('OEBPS/style.css'));
    const rules = [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^}]*)\}/g)].map(([, selector, body]) => ({
      selector: selector!.trim(),
      body: body!,
    }));
    const coloured = rules.filter((rule) => /(?:^|[\s;])(?:color|background(?:-color)?)\s*:/.test(rule.body));
    expect(coloured.length).toBeGreaterThan(0);
    for (const rule of coloured)
      expect(rule.selector).toMatch(/^(?:pre\b[^,]*|\.hljs-[\w-]+(?:\.[\w-]+)?)(?:,\s*(?:pre\b[^,]*|\.hljs-[\w-]+(?:\.[\w-]+)?))*$/);
    expect(rules.find((rule) => rule.selector === 'pre')?.body).toMatch(/background: #f4f4f1;.*color: #1b1b1b/);
    expect(css).not.toMatch(/font-family|@font-face/);
    for (const [, value] of css.matchAll(/font-size:\s*([^;}]+)/g)) expect(value).toMatch(/^\d*\.?\d+(?:em|rem|%)\s*$/);
    expect(css).not.toMatch(/\d(?:px|pt|cm|mm|in)\b/);
  });

  it('builds the same book again: the same identifier, and the same bytes', async () => {
    const again = path.join(out, 'second');
    expect((await runCli('build', 'content', '--out', again, '--format', 'epub')).code).toBe(0);
    const second = await readEpub(path.join(again, 'beyond-utopia.epub'));
    expect(packageOf(second).dc('identifier')).toEqual(opf.dc('identifier'));
    expect(await readFile(path.join(again, 'beyond-utopia.epub'))).toEqual(await readFile(file));
  });

  it('takes dcterms:modified from SOURCE_DATE_EPOCH when it is set', async () => {
    const before = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const dir = path.join(out, 'epoch');
      expect((await runCli('build', 'content', '--out', dir, '--format', 'epub')).code).toBe(0);
      expect(packageOf(await readEpub(path.join(dir, 'beyond-utopia.epub'))).meta('dcterms:modified')).toEqual(['2023-11-14T22:13:20Z']);
    } finally {
      if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = before;
    }
  });

  // Proof that the Ace helper sees violations: the same book without its accessibility metadata fails.
  it('(the Ace check itself) reports the missing metadata of a book stripped of it', () => {
    expect(strippedReport.outcome).toBe('fail');
    expect(strippedReport.violations.map((violation) => violation.rule).sort()).toEqual([
      'metadata-accessibilityfeature',
      'metadata-accessibilityhazard',
      'metadata-accessibilitysummary',
      'metadata-accessmode',
      'metadata-accessmodesufficient',
    ]);
  });
});
