import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { withGuardedPage } from '../browser/guarded-page.js';
import { PHOTOGRAPHED, type PageSource } from '../browser/session.js';
import type { DocumentModel, Notice } from '../document/model.js';
import { fontPackageDir } from '../render/fonts.js';
import type { TemplateSet } from '../render/templates.js';
import type { BookMetadata } from './book-metadata.js';

export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2560;

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

/** Front matter `cover` when given (checked by the document stage), else one drawn from `cover.html`. */
export async function makeCover(doc: DocumentModel, book: BookMetadata, templates: TemplateSet, session: PageSource): Promise<CoverImage> {
  if (doc.cover) {
    const bytes = doc.cover.sanitized ?? new Uint8Array(await readFile(doc.cover.path));
    return { bytes, mediaType: doc.cover.mediaType, alt: book.title, warnings: [] };
  }
  const { bytes, warnings } = await renderCover(book, templates, session);
  return { bytes, mediaType: 'image/png', alt: coverText(book), warnings };
}

/** What the generated cover says: title, standfirst and date. */
function coverText(book: BookMetadata): string {
  const parts = [book.title, book.standfirst, book.dateText].filter((part): part is string => Boolean(part));
  return `${parts.map((part) => part.replace(/[.!?]$/, '')).join('. ')}.`;
}

const folderUrl = (dir: string): string => pathToFileURL(dir + path.sep).href;

/** A size class for the title, so that long titles still fit the cover. */
export function titleSize(title: string): string {
  const length = [...title].length;
  if (length <= 24) return 'title-xl';
  if (length <= 48) return 'title-l';
  if (length <= 80) return 'title-m';
  if (length <= 130) return 'title-s';
  return 'title-xs';
}

/**
 * Renders `cover.html` in the browser with JavaScript off, loading only the cover's own folder, the
 * templates' folder and the fonts, and takes a 1600×2560 px picture of it.
 */
async function renderCover(
  book: BookMetadata,
  templates: TemplateSet,
  session: PageSource,
): Promise<{ bytes: Uint8Array; warnings: Notice[] }> {
  const fontDirs = { serif: fontPackageDir('source-serif-4'), sans: fontPackageDir('source-sans-3') };
  const fonts = { serif: folderUrl(fontDirs.serif), sans: folderUrl(fontDirs.sans) };
  const html = templates.render.cover({ ...book, fonts, titleSize: titleSize(book.title), width: COVER_WIDTH, height: COVER_HEIGHT });
  const spec = {
    html,
    allowedDirs: [path.dirname(templates.files.cover), fontDirs.serif, fontDirs.sans],
    viewport: { width: COVER_WIDTH, height: COVER_HEIGHT, deviceScaleFactor: 1 },
  };
  const { result: bytes, refused } = await withGuardedPage(session, PHOTOGRAPHED, spec, async (page) => {
    await page.evaluate('document.fonts.ready.then(() => document.fonts.status)');
    return page.screenshot({ type: 'png', optimizeForSpeed: true });
  });
  return { bytes, warnings: refused };
}
