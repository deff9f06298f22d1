import { readFile } from 'node:fs/promises';
import { type CoverCache, coverKey, type DrawnCover } from '../cover/cover-cache.js';
import { drawCoverOffThread } from '../cover/workers.js';
import type { DocumentModel, Notice } from '../document/model.js';
import type { TemplateSet } from '../render/templates.js';
import type { CoverBook } from '../cover/cover-layout.js';
import type { BookMetadata } from './book-metadata.js';

export interface CoverImage {
  bytes: Uint8Array;
  mediaType: string;
  /** Describes the cover for people who cannot see it. */
  alt: string;
  /** Requests the cover page tried to make and was refused. */
  warnings: Notice[];
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};

/** The file extension for one of the image types the document stage accepts. */
export function imageExtension(mediaType: string): string {
  const extension = EXTENSIONS[mediaType];
  if (!extension) throw new Error(`no file extension known for ${mediaType}`);
  return extension;
}

/** Front matter `cover` when given (checked by the document stage), else one drawn from `cover.svg`. */
export async function makeCover(doc: DocumentModel, book: BookMetadata, templates: TemplateSet, covers: CoverCache): Promise<CoverImage> {
  if (doc.cover) {
    const bytes = doc.cover.sanitized ?? new Uint8Array(await readFile(doc.cover.path));
    return { bytes, mediaType: doc.cover.mediaType, alt: book.title, warnings: [] };
  }
  const { bytes, warnings } = await generatedCover(book, templates, covers);
  return { bytes, mediaType: 'image/png', alt: coverText(book), warnings: warnings.map((message) => ({ message })) };
}

/**
 * The cover drawn for what it shows and this template before, else drawn now (loading the fonts and
 * the rasterizer), once: asked for again while it is drawn, the same drawing is given. A cover not
 * kept starts drawing within the call, before its first wait.
 */
export async function generatedCover(shown: CoverBook, templates: TemplateSet, covers: CoverCache): Promise<DrawnCover> {
  const key = coverKey(shown, templates.sources.cover);
  const cached = covers.holds(key) ? await covers.get(key) : undefined;
  if (cached) return cached;
  return covers.drawOnce(key, async () => {
    const drawn = await drawCoverOffThread(shown, {
      render: templates.render.cover,
      file: templates.files.cover,
      source: templates.sources.cover,
    });
    await covers.put(key, drawn);
    return drawn;
  });
}

/** What the generated cover says: title, standfirst and date. */
function coverText(book: BookMetadata): string {
  const parts = [book.title, book.standfirst, book.dateText].filter((part): part is string => Boolean(part));
  return `${parts.map((part) => part.replace(/[.!?]$/, '')).join('. ')}.`;
}
