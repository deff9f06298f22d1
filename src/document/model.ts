import type { Paper } from '../settings/choices.js';
import type Token from 'markdown-it/lib/token.mjs';

/** A warning about a document: it still builds. */
export interface Notice {
  /** The file it is about, when that is not the document's own (a book's chapters). */
  file?: string | undefined;
  line?: number | undefined;
  message: string;
}

export interface Metadata {
  title: string;
  subtitle: string | undefined;
  description: string | undefined;
  authors: string[];
  /** YYYY-MM-DD */
  date: string | undefined;
  lang: string;
  publisher: string | undefined;
  keywords: string[];
  paper: Paper | undefined;
  edition: string | undefined;
  /** YYYY-MM-DD */
  updated: string | undefined;
  /** A local image, as written in the front matter. */
  cover: string | undefined;
  identifier: string | undefined;
  rights: string | undefined;
  splitLevel: number | undefined;
}

/** A stretch of the article: the opening (before the first `##`), or one `##` heading and what follows it. */
export interface Section {
  title: string;
  /** The heading's id; the opening section has none. */
  headingId: string | undefined;
  /** Text before the first heading: it carries the title block. */
  opening: boolean;
  tokens: Token[];
  /** Ids the section defines, for links that point into it from elsewhere. */
  anchorIds: Set<string>;
  /** Footnotes referred to from this section, by markdown-it-footnote id. */
  footnoteIds: number[];
  /** Set in a book for a chapter in another language than the book's. */
  lang?: string | undefined;
}

/** A local image the document uses, checked to exist inside the document's folder. */
export interface ImageResource {
  /** As written in the Markdown (URL-encoded by markdown-it). */
  src: string;
  path: string;
  /** Sniffed from the file's bytes: image/png, image/jpeg, image/gif, image/webp or image/svg+xml. */
  mediaType: string;
  line: number;
  /** For an SVG, the sanitized rewrite that both editions use instead of the file. */
  sanitized?: Uint8Array | undefined;
}

/** A file an edition is made from, read once: hashed into the manifest and attached to the PDF. */
export interface SourceFile {
  path: string;
  /** Its name in the PDF's attachments: the file name, or its path inside a book's folder. */
  name: string;
  bytes: Buffer;
}

/** A part or a chapter of a book, in reading order. */
export interface BookUnit {
  kind: 'part' | 'chapter';
  title: string;
  /** The id of the heading that opens it. */
  headingId: string;
  /** The level of that heading: 1 for a part or a chapter outside parts, one more for each level of nesting. */
  level: number;
  /** Its blocks, its heading first; the document's blocks are every unit's, in order. */
  blocks: Token[];
  /** Its notes, by markdown-it-footnote id (unique in the book). */
  footnoteIds: number[];
  /** A chapter's own language, when its front matter gives one that is not the book's. */
  lang: string | undefined;
}

/** How a document made of many files is laid out. */
export interface BookLayout {
  units: BookUnit[];
  /** `right`: every part and chapter starts on a right-hand page. */
  chapterStart: 'next' | 'right';
}

export interface DocumentModel {
  sourcePath: string;
  /** The folder every file it uses must be inside (symlinks resolved): the Markdown file's, or the book's. */
  folder: string;
  /** The Markdown file (for a book: its plan, its chapters and what they include), read once. */
  sources: SourceFile[];
  /** Set for a book: its parts and chapters. */
  book?: BookLayout | undefined;
  /** Base name of the source, used for output files. */
  name: string;
  metadata: Metadata;
  /** The body's block tokens, footnotes taken off. */
  blocks: Token[];
  /** The body split at `##` (see splitSections for other levels). */
  sections: Section[];
  /** markdown-it-footnote's tail: one token group per footnote, keyed by its id. */
  footnotes: Map<number, Token[]>;
  images: Map<string, ImageResource>;
  /** Front matter `cover`, checked like the images. */
  cover: ImageResource | undefined;
  warnings: Notice[];
  /** The source file's modification time, the last resort for dates. */
  modified: Date;
  /** Relative links to files outside the edition become web links under this address (--link-base, link_base). */
  linkBase: string | undefined;
}
