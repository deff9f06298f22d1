import { readFile } from 'node:fs/promises';
import { EPub, type Chapter } from 'epub-gen-memory';
import type { DocumentModel, Notice } from '../document/model.js';
import { GalleyError } from '../errors.js';
import type { TemplateSet } from '../render/templates.js';
import { accessibilityMetadata, everyImageDescribed, mayAnimate, type BookFeatures } from './accessibility.js';
import type { BookMetadata } from './book-metadata.js';
import { chapterHref, planChapters, tocTree, type PlannedChapter } from './chapters.js';
import { imageExtension, type CoverImage } from './cover.js';
import { renderChapterBodies } from './ebook-markup.js';
import { traced } from '../report/trace.js';
import { restoreDroppedAttributes } from './restore-attributes.js';
import { unescapeCharacterReferences } from './xml-text.js';

export interface EpubSettings {
  /** The book's metadata (bookMetadata), which its cover was made from. */
  book: BookMetadata;
  /** The cover, started before the EPUB's modules were loaded (makeCover). */
  cover: Promise<CoverImage>;
  /** A chapter starts at each heading of this level or above. */
  splitLevel: number;
}

export interface BuiltEpub {
  bytes: Uint8Array;
  /** Chapters of text (the cover and the title page not counted). */
  chapters: number;
  warnings: Notice[];
}

const CONTAINER_XML =
  '<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">' +
  '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n';

/** The pages before the text: the cover, then the title page. */
const COVER_PAGE = { id: 'cover', href: 'cover.xhtml' };
const TITLE_PAGE = { id: 'title-page', href: 'title-page.xhtml' };

/** Cover, title page, then one chapter per section, rendered through galley's templates and packed by epub-gen-memory. */
export async function buildEpub(doc: DocumentModel, templates: TemplateSet, settings: EpubSettings): Promise<BuiltEpub> {
  const { book } = settings;
  const planned = planChapters(doc, settings.splitLevel);
  const bodies = renderChapterBodies(
    doc,
    planned.map((chapter) => chapter.section),
    chapterHref,
  );
  const chapters: Chapter[] = planned.map((chapter, index) => ({ title: chapter.title, content: bodies[index]!, filename: chapter.href }));
  const cover = await settings.cover;
  const epub = new GalleyEpub(doc, book, planned, chapters, cover, templates);
  const bytes = await traced(`${doc.name}: EPUB packed`, epub.genEpub());
  return { bytes, chapters: planned.length, warnings: cover.warnings };
}

function holdsMath(xhtml: string): boolean {
  return xhtml.includes('<math');
}

/** Raster images are compressed already: storing them as they are saves the time of deflating them again. */
function packing(mediaType: string): { compression: 'STORE' | 'DEFLATE' } {
  return { compression: mediaType === 'image/svg+xml' ? 'DEFLATE' : 'STORE' };
}

/**
 * epub-gen-memory turns chapter HTML into XHTML and packs the zip. Its own EJS templates, its
 * random identifier, its cover and its downloader are replaced: the package files come from
 * galley's templates, and images are read only from the files the document stage checked.
 */
class GalleyEpub extends EPub {
  readonly #doc: DocumentModel;
  readonly #book: BookMetadata;
  readonly #planned: PlannedChapter[];
  readonly #cover: CoverImage & { href: string };
  readonly #templates: TemplateSet;
  /** The images of the text, as packed: numbered, typed by their bytes, read from checked files. */
  readonly #images: { id: string; href: string; mediaType: string; path: string; sanitized: Uint8Array | undefined }[] = [];

  constructor(
    doc: DocumentModel,
    book: BookMetadata,
    planned: PlannedChapter[],
    chapters: Chapter[],
    cover: CoverImage,
    templates: TemplateSet,
  ) {
    super({ title: book.title, lang: doc.metadata.lang, verbose: false, ignoreFailedDownloads: false }, chapters);
    this.#doc = doc;
    this.#book = book;
    this.#planned = planned;
    this.#cover = { ...cover, href: `images/cover.${imageExtension(cover.mediaType)}` };
    this.#templates = templates;
    this.uuid = book.identifier;
    this.content.forEach((chapter, index) => {
      chapter.content = unescapeCharacterReferences(restoreDroppedAttributes(chapters[index]!.content, chapter.content));
    });
    this.#adoptImages();
  }

  /**
   * The library names images by random UUIDs and guesses their type from the file name; number
   * them in order instead, give each the type sniffed from its bytes, and pack each file once
   * however its path was written.
   */
  #adoptImages(): void {
    for (const image of this.images) {
      const resource = this.#doc.images.get(image.url);
      if (!resource) throw new GalleyError(`image "${image.url}" was not checked and is not included`);
      let packed = this.#images.find((candidate) => candidate.path === resource.path);
      if (!packed) {
        const id = `image-${this.#images.length + 1}`;
        const href = `images/${id}.${imageExtension(resource.mediaType)}`;
        packed = { id, href, mediaType: resource.mediaType, path: resource.path, sanitized: resource.sanitized };
        this.#images.push(packed);
      }
      const before = `"images/${image.id}.${image.extension}"`;
      for (const chapter of this.content) chapter.content = chapter.content.split(before).join(`"${packed.href}"`);
    }
  }

  #context() {
    const planned = this.#planned;
    const toc = tocTree(planned);
    const a11y = accessibilityMetadata(this.#features());
    return {
      ...this.#book,
      chapters: planned.map((chapter, index) => ({
        id: chapter.id,
        href: chapter.href,
        title: chapter.title,
        playOrder: index + 1,
        // EPUB 3 wants each content document that holds MathML to say so in the manifest.
        mathml: holdsMath(this.content[index]!.content),
      })),
      toc: toc.entries,
      tocDepth: toc.depth,
      images: this.#images.map(({ id, href, mediaType }) => ({ id, href, mediaType })),
      cover: { id: 'cover-image', href: this.#cover.href, mediaType: this.#cover.mediaType, alt: this.#cover.alt },
      coverPage: COVER_PAGE,
      titlePage: TITLE_PAGE,
      startOfText: planned[0]!.href,
      a11y,
    };
  }

  /** What the accessibility metadata and the conformance claim depend on, read from the book as packed. */
  #features(): BookFeatures {
    return {
      imageTypes: this.#images.map((image) => image.mediaType),
      hasMovingImages:
        mayAnimate(this.#cover.mediaType, this.#cover.bytes) || this.#images.some((image) => mayAnimate(image.mediaType, image.sanitized)),
      allImagesDescribed: everyImageDescribed(this.content.map((chapter) => chapter.content)),
      hasFootnotes: this.#doc.footnotes.size > 0,
      hasMath: this.content.some((chapter) => holdsMath(chapter.content)),
    };
  }

  protected override async generateTemplateFiles(): Promise<void> {
    const render = this.#templates.render;
    const context = this.#context();
    const oebps = this.zip.folder('OEBPS')!;
    this.zip.folder('META-INF')!.file('container.xml', CONTAINER_XML);
    oebps.file('style.css', render.epubCss(context));
    oebps.file(COVER_PAGE.href, render.chapter({ ...context, page: { cover: true, title: this.#book.title } }));
    oebps.file(TITLE_PAGE.href, render.chapter({ ...context, page: { titlePage: true, title: this.#book.title } }));
    this.content.forEach((chapter, index) => {
      const planned = this.#planned[index]!;
      const page = {
        chapter: true,
        title: chapter.title,
        opening: planned.opening,
        lang: planned.lang,
        headingId: planned.headingId,
        content: chapter.content,
      };
      oebps.file(chapter.filename, render.chapter({ ...context, page, chapter: page }));
    });
    oebps.file('content.opf', render.package(context));
    oebps.file('nav.xhtml', render.nav(context));
    oebps.file('toc.ncx', render.ncx(context));
  }

  protected override async downloadAllImages(): Promise<void> {
    const oebps = this.zip.folder('OEBPS')!;
    oebps.file(this.#cover.href, this.#cover.bytes, packing(this.#cover.mediaType));
    for (const image of this.#images) oebps.file(image.href, image.sanitized ?? (await readFile(image.path)), packing(image.mediaType));
  }

  protected override async downloadAllFonts(): Promise<void> {}

  /** The last step of the library's render(): every entry gets the edition's date, not the time of the build. */
  protected override async makeCover(): Promise<void> {
    const date = new Date(this.#book.modified);
    for (const entry of Object.values(this.zip.files)) entry.date = date;
  }
}
