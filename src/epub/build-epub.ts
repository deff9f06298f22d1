import { readFile } from 'node:fs/promises';
import { EPub, type Chapter } from 'epub-gen-memory';
import { editionDate } from '../document/dates.js';
import type { DocumentModel, Notice } from '../document/model.js';
import { renderEbookSection } from '../document/render.js';
import { GalleyError } from '../errors.js';
import { titleBlockContext } from '../render/context.js';
import type { TemplateSet } from '../render/templates.js';
import type { PageSource } from '../pdf/browser-session.js';
import { bookIdentifier } from './identifier.js';

export interface EpubSettings {
  /** Renders the generated cover; the EPUB needs no browser otherwise. */
  session: PageSource;
  /** A chapter starts at each heading of this level or above. */
  splitLevel: number;
}

export interface BuiltEpub {
  bytes: Uint8Array;
  chapters: number;
  warnings: Notice[];
}

const CONTAINER_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">' +
  '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n';

export function chapterHref(index: number): string {
  return `section-${String(index + 1).padStart(2, '0')}.xhtml`;
}

/** One chapter per section, rendered through galley's templates and packed by epub-gen-memory. */
export async function buildEpub(doc: DocumentModel, templates: TemplateSet, settings: EpubSettings): Promise<BuiltEpub> {
  void settings;
  const chapters: Chapter[] = doc.sections.map((section, index) => ({
    title: section.title,
    content: renderEbookSection(doc, doc.sections, index, chapterHref),
    filename: chapterHref(index),
  }));
  const book = new GalleyEpub(doc, chapters, templates);
  const bytes = await book.genEpub();
  return { bytes, chapters: chapters.length, warnings: [] };
}

/**
 * epub-gen-memory packs the zip and turns chapter HTML into XHTML. Its own EJS templates, its
 * random identifier and its downloader are replaced: the package files come from galley's
 * templates, and images are read only from the files the document stage checked.
 */
class GalleyEpub extends EPub {
  readonly #doc: DocumentModel;
  readonly #templates: TemplateSet;

  constructor(doc: DocumentModel, chapters: Chapter[], templates: TemplateSet) {
    super({ title: doc.metadata.title, lang: doc.metadata.lang, verbose: false, ignoreFailedDownloads: false }, chapters);
    this.#doc = doc;
    this.#templates = templates;
    this.uuid = bookIdentifier(doc);
    this.#numberImages();
  }

  /** The library names images by random UUIDs; number them in order instead. */
  #numberImages(): void {
    this.images.forEach((image, index) => {
      const stableId = `image-${index + 1}`;
      for (const chapter of this.content) chapter.content = chapter.content.split(`images/${image.id}.`).join(`images/${stableId}.`);
      image.id = stableId;
    });
  }

  protected override async generateTemplateFiles(): Promise<void> {
    const render = this.#templates.render;
    const context = {
      ...titleBlockContext(this.#doc.metadata),
      identifier: this.uuid,
      publisher: this.#doc.metadata.publisher,
      keywords: this.#doc.metadata.keywords,
      modified: editionDate(this.#doc).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      chapters: this.content.map((chapter, index) => ({
        id: `chapter-${index + 1}`,
        href: chapter.filename,
        title: chapter.title,
        playOrder: index + 1,
      })),
      images: this.images.map((image) => ({ id: image.id, href: `images/${image.id}.${image.extension}`, mediaType: image.mediaType })),
    };
    const oebps = this.zip.folder('OEBPS')!;
    this.zip.folder('META-INF')!.file('container.xml', CONTAINER_XML);
    oebps.file('style.css', render.epubCss(context));
    this.content.forEach((chapter, index) => {
      const section = { title: chapter.title, opening: this.#doc.sections[index]!.opening, content: chapter.content };
      oebps.file(chapter.filename, render.chapter({ ...context, chapter: section }));
    });
    oebps.file('content.opf', render.package(context));
    oebps.file('nav.xhtml', render.nav(context));
    oebps.file('toc.ncx', render.ncx(context));
  }

  protected override async downloadAllImages(): Promise<void> {
    if (this.images.length === 0) return;
    const folder = this.zip.folder('OEBPS')!.folder('images')!;
    for (const image of this.images) {
      const resource = this.#doc.images.get(image.url);
      if (!resource) throw new GalleyError(`image "${image.url}" was not checked and is not included`);
      if (!image.mediaType) throw new GalleyError(`image "${image.url}" has no known image type`, { line: resource.line });
      folder.file(`${image.id}.${image.extension}`, await readFile(resource.path));
    }
  }

  protected override async downloadAllFonts(): Promise<void> {}

  protected override async makeCover(): Promise<void> {}
}
