import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { GalleyError } from '../errors.js';
import { formatMegabytes } from '../net/guarded-fetch.js';

/** The image types every EPUB reader must show (EPUB 3 core media types), which Chrome prints too. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);
const SNIFF_BYTES = 4100;

export interface CheckedImage {
  path: string;
  mediaType: string;
}

/**
 * Resolves an image path written in a document against the document's folder, and checks that it
 * stays inside it (after symlinks), is a regular file, and really is a PNG, JPEG, GIF, WebP or SVG.
 */
export async function checkLocalImage(written: string, root: string, line: number | undefined, maxBytes: number): Promise<CheckedImage> {
  let relative: string;
  try {
    relative = decodeURIComponent(written.replace(/[?#].*$/, ''));
  } catch {
    throw new GalleyError(`image "${written}" has a malformed path`, { line });
  }
  const resolved = await realpath(path.resolve(root, relative)).catch(() => {
    throw new GalleyError(`image "${relative}" not found`, { line });
  });
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw new GalleyError(`image "${relative}" is outside the document's folder`, { line });
  }
  const info = await stat(resolved);
  if (!info.isFile()) throw new GalleyError(`image "${relative}" is not a regular file`, { line });
  if (info.size > maxBytes) {
    throw new GalleyError(`image "${relative}" is larger than the limit of ${formatMegabytes(maxBytes)} (raise it with --max-image-size)`, { line });
  }
  const mediaType = await sniffImageType(resolved).catch(() => {
    throw new GalleyError(`image "${relative}" cannot be read`, { line });
  });
  if (!mediaType || !IMAGE_TYPES.has(mediaType)) {
    throw new GalleyError(`image "${relative}" is not an image galley can use (PNG, JPEG, GIF, WebP or SVG)`, { line });
  }
  return { path: resolved, mediaType };
}

async function sniffImageType(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    const detected = await fileTypeFromBuffer(head);
    if (detected && detected.ext !== 'xml') return detected.mime;
    return looksLikeSvg(head.toString('utf8')) ? 'image/svg+xml' : undefined;
  } finally {
    await handle.close();
  }
}

/** An SVG is XML whose first element is <svg>, after an optional declaration, doctype and comments. */
function looksLikeSvg(text: string): boolean {
  const start = text
    .replace(/^\uFEFF/, '')
    .replace(/^\s*<\?xml[^>]*\?>/, '')
    .replace(/^(\s*<!--[\s\S]*?-->|\s*<!DOCTYPE[^>]*>)*/, '')
    .trimStart();
  return /^<svg[\s>]/.test(start);
}
