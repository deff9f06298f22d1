import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/document/load.js';
import { accessibilityMetadata, type BookFeatures } from '../../src/epub/accessibility.js';
import { bookMetadata } from '../../src/epub/book-metadata.js';
import { planChapters, tocTree } from '../../src/epub/chapters.js';
import { loadTemplates, type TemplateSet } from '../../src/render/templates.js';
import { GALLEY_VERSION } from '../../src/version.js';

const FIXTURES = path.resolve('tests/fixtures/epub');
const STILL_AND_DESCRIBED: BookFeatures = {
  imageTypes: ['image/png'],
  hasMovingImages: false,
  allImagesDescribed: true,
  hasFootnotes: false,
  hasMath: false,
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['meta', 'item', 'navPoint', 'li'].includes(name),
});
type Node = Record<string, any>;

let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates();
});

/** The values the EPUB templates get, as build-epub.ts puts them together. */
async function contextFor(fixture: string, splitLevel: number, features: BookFeatures) {
  const doc = await loadDocument(path.join(FIXTURES, fixture));
  const planned = planChapters(doc, splitLevel);
  const toc = tocTree(planned);
  return {
    ...bookMetadata(doc),
    chapters: planned.map(({ id, href, title }) => ({ id, href, title })),
    toc: toc.entries,
    tocDepth: toc.depth,
    images: [{ id: 'image-1', href: 'images/image-1.png', mediaType: 'image/png' }],
    cover: { id: 'cover-image', href: 'images/cover.png', mediaType: 'image/png', alt: 'Cover' },
    coverPage: { id: 'cover', href: 'cover.xhtml' },
    titlePage: { id: 'title-page', href: 'title-page.xhtml' },
    startOfText: planned[0]!.href,
    a11y: accessibilityMetadata(features),
  };
}

async function packageMetadata(features: BookFeatures) {
  const opf = parser.parse(templates.render.package(await contextFor('split-levels.md', 2, features))).package as Node;
  const metas: Node[] = opf.metadata.meta;
  const text = (meta: Node) => String(meta['#text'] ?? '');
  return {
    opf,
    metas,
    values: (property: string) => metas.filter((meta) => meta['@property'] === property).map(text),
  };
}

describe('package document', () => {
  it('claims EPUB Accessibility 1.1 at WCAG 2.2 AA, certified by galley', async () => {
    const { metas, values } = await packageMetadata(STILL_AND_DESCRIBED);
    const claim = metas.find((meta) => meta['@property'] === 'dcterms:conformsTo')!;
    expect(claim['#text']).toBe('EPUB Accessibility 1.1 - WCAG 2.2 Level AA');
    const certifier = metas.find((meta) => meta['@property'] === 'a11y:certifiedBy')!;
    expect(certifier['@refines']).toBe(`#${claim['@id']}`);
    expect(certifier['#text']).toBe(`galley ${GALLEY_VERSION}`);
    expect(values('schema:accessMode')).toEqual(['textual', 'visual']);
    expect(values('schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(values('schema:accessibilityFeature')).toEqual([
      'structuralNavigation',
      'tableOfContents',
      'readingOrder',
      'displayTransformability',
      'ARIA',
      'alternativeText',
    ]);
    expect(values('schema:accessibilityHazard')).toEqual(['none']);
    expect(values('schema:accessibilitySummary')[0]).toMatch(/ Every image has a text alternative\.$/);
  });

  it('withholds the claim, and says why in the summary, for images without alt text or images that may move', async () => {
    const undescribed = await packageMetadata({ ...STILL_AND_DESCRIBED, allImagesDescribed: false });
    expect(undescribed.values('dcterms:conformsTo')).toEqual([]);
    expect(undescribed.values('a11y:certifiedBy')).toEqual([]);
    expect(undescribed.values('schema:accessModeSufficient')).toEqual(['textual,visual']);
    expect(undescribed.values('schema:accessibilitySummary')[0]).toMatch(
      /Some images have no text alternative: they are marked as decorative\. It therefore claims no conformance to EPUB Accessibility 1\.1 or WCAG\./,
    );
    const moving = await packageMetadata({ ...STILL_AND_DESCRIBED, imageTypes: ['image/gif'], hasMovingImages: true });
    expect(moving.values('dcterms:conformsTo')).toEqual([]);
    expect(moving.values('schema:accessibilityHazard')).toEqual([
      'noSoundHazard',
      'unknownFlashingHazard',
      'unknownMotionSimulationHazard',
    ]);
    expect(moving.values('schema:accessibilitySummary')[0]).toMatch(/may be animated.*claims no conformance/);
  });

  it('names the cover image for EPUB 2 readers by its manifest id', async () => {
    const { opf, metas } = await packageMetadata(STILL_AND_DESCRIBED);
    const coverItems = (opf.manifest.item as Node[]).filter((item) => item['@properties'] === 'cover-image');
    expect(coverItems).toHaveLength(1);
    const coverMetas = metas.filter((meta) => meta['@name'] === 'cover');
    expect(coverMetas.map((meta) => meta['@content'])).toEqual([coverItems[0]!['@id']]);
  });
});

/** Each navPoint with its depth, in document order. */
function navPoints(points: Node[] | undefined, depth = 1): { id: string; playOrder: number; src: string; label: string; depth: number }[] {
  return (points ?? []).flatMap((point) => [
    { id: point['@id'], playOrder: Number(point['@playOrder']), src: point.content['@src'], label: String(point.navLabel.text), depth },
    ...navPoints(point.navPoint, depth + 1),
  ]);
}

describe('navigation document and NCX', () => {
  for (const splitLevel of [1, 2, 3]) {
    it(`list the same entries in reading order, split at level ${splitLevel}: unique ids, play order 1, 2, 3…, the depth declared`, async () => {
      const context = await contextFor('split-levels.md', splitLevel, STILL_AND_DESCRIBED);
      const ncx = parser.parse(templates.render.ncx(context)).ncx as Node;
      const points = navPoints(ncx.navMap.navPoint);
      expect(points.map((point) => point.playOrder)).toEqual(points.map((_, index) => index + 1));
      expect(new Set(points.map((point) => point.id)).size).toBe(points.length);
      const depthMeta = (ncx.head.meta as Node[]).find((meta) => meta['@name'] === 'dtb:depth')!;
      expect(Number(depthMeta['@content'])).toBe(Math.max(...points.map((point) => point.depth)));

      const nav = templates.render.nav(context);
      const toc = /<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(nav)![0];
      const links = [...toc.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((match) => [match[1], match[2]]);
      expect(links).toEqual(points.map((point) => [point.src, point.label]));
    });
  }

  it('nest every heading one level below the split level under its chapter', async () => {
    const context = await contextFor('split-levels.md', 3, STILL_AND_DESCRIBED);
    const points = navPoints((parser.parse(templates.render.ncx(context)).ncx as Node).navMap.navPoint);
    expect(points.map(({ label, src, depth }) => [label, src, depth])).toEqual([
      ['Parts and chapters', 'section-01.xhtml', 1],
      ['Part one', 'section-02.xhtml', 1],
      ['First chapter', 'section-03.xhtml', 2],
      ['Second chapter', 'section-04.xhtml', 2],
      ['A subheading that stays inside', 'section-04.xhtml#a-subheading-that-stays-inside', 3],
      ['Part two', 'section-05.xhtml', 1],
    ]);
    const toc = /<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(templates.render.nav(context))![0].replace(/\s+/g, '');
    expect(toc).toContain(
      '<li><ahref="section-04.xhtml">Secondchapter</a><ol><li><ahref="section-04.xhtml#a-subheading-that-stays-inside">Asubheadingthatstaysinside</a></li></ol></li>',
    );
  });
});
