import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import type { DocumentModel, Notice } from '../document/model.js';
import { PHOTOGRAPHED } from '../pdf/browser-session.js';
import { guardPage } from '../pdf/request-policy.js';
import { showHtml } from '../pdf/show-html.js';
import type { TemplateSet } from '../render/templates.js';
import type { BookMetadata } from './book-metadata.js';

export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2560;

/** Where the cover's page comes from: the build's browser session. */
export interface PageMaker {
  newPage(purpose: string): Promise<Page>;
  release(page: Page): Promise<void>;
}

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
export async function makeCover(doc: DocumentModel, book: BookMetadata, templates: TemplateSet, session: PageMaker): Promise<CoverImage> {
  if (doc.cover) {
    return { bytes: new Uint8Array(await readFile(doc.cover.path)), mediaType: doc.cover.mediaType, alt: book.title, warnings: [] };
  }
  const { bytes, warnings } = await renderCover(book, templates, session);
  return { bytes, mediaType: 'image/png', alt: coverText(book), warnings };
}

/** What the generated cover says: title, standfirst and date. */
function coverText(book: BookMetadata): string {
  const parts = [book.title, book.standfirst, book.dateText].filter((part): part is string => Boolean(part));
  return parts.map((part) => part.replace(/[.!?]$/, '')).join('. ') + '.';
}

/** The folders of the fonts galley ships for the cover (Source Serif 4, Source Sans 3). */
function coverFontDirs(): { serif: string; sans: string } {
  const require = createRequire(import.meta.url);
  const folder = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
  return { serif: folder('@fontsource/source-serif-4'), sans: folder('@fontsource/source-sans-3') };
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
async function renderCover(book: BookMetadata, templates: TemplateSet, session: PageMaker): Promise<{ bytes: Uint8Array; warnings: Notice[] }> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'galley-cover-'));
  const page = await session.newPage(PHOTOGRAPHED);
  const warnings: Notice[] = [];
  try {
    const fontDirs = coverFontDirs();
    const fonts = { serif: folderUrl(fontDirs.serif), sans: folderUrl(fontDirs.sans) };
    const html = templates.render.cover({ ...book, fonts, titleSize: titleSize(book.title), width: COVER_WIDTH, height: COVER_HEIGHT });
    await guardPage(page, [workDir, path.dirname(templates.files.cover), fontDirs.serif, fontDirs.sans], warnings);
    // A page taken back from the pool keeps its viewport: setting it again would cost a relayout.
    const viewport = page.viewport();
    if (viewport?.width !== COVER_WIDTH || viewport.height !== COVER_HEIGHT || viewport.deviceScaleFactor !== 1) {
      await page.setViewport({ width: COVER_WIDTH, height: COVER_HEIGHT, deviceScaleFactor: 1 });
    }
    await showHtml(page, html, workDir);
    await page.evaluate('document.fonts.ready.then(() => document.fonts.status)');
    const bytes = await page.screenshot({ type: 'png', optimizeForSpeed: true });
    return { bytes, warnings };
  } finally {
    await session.release(page);
    await rm(workDir, { recursive: true, force: true });
  }
}
