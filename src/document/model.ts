import type { Paper } from '../settings/choices.js';
import type Token from 'markdown-it/lib/token.mjs';

/** A warning about a document: it still builds. */
export interface Notice {
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

export interface DocumentModel {
  sourcePath: string;
  /** The Markdown file's bytes, read once: hashed into the manifest and attached to the PDF. */
  source: Buffer;
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
