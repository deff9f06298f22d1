import { open, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { GalleyError } from '../errors.js';
import { formatMegabytes } from '../net/guarded-fetch.js';
import { isSvgDocument, sanitizeSvg } from './svg.js';

/** The image types every EPUB reader must show (EPUB 3 core media types), which Chrome prints too. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/svg+xml']);
const SNIFF_BYTES = 4100;

export interface CheckedImage {
  path: string;
  mediaType: string;
  /** An SVG as rewritten by sanitizeSvg: what both editions use instead of the file. */
  sanitized?: Uint8Array;
  /** What the rewrite removed, one phrase each. */
  sanitizerWarnings?: string[];
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
    throw new GalleyError(`image "${relative}" is larger than the limit of ${formatMegabytes(maxBytes)} (raise it with --max-image-size)`, {
      line,
    });
  }
  const mediaType = await sniffImageType(resolved).catch(() => {
    throw new GalleyError(`image "${relative}" cannot be read`, { line });
  });
  if (!mediaType || !IMAGE_TYPES.has(mediaType)) {
    throw new GalleyError(`image "${relative}" is not an image galley can use (PNG, JPEG, GIF, WebP or SVG)`, { line });
  }
  if (mediaType !== 'image/svg+xml') return { path: resolved, mediaType };
  return { path: resolved, mediaType, ...(await rewriteSvg(resolved, relative, line)) };
}

/** Every SVG goes through the sanitizer; what it refuses fails the document, naming the image and its line. */
async function rewriteSvg(
  file: string,
  written: string,
  line: number | undefined,
): Promise<Pick<CheckedImage, 'sanitized' | 'sanitizerWarnings'>> {
  try {
    const { bytes, warnings } = sanitizeSvg(decodeText(await readFile(file)));
    return { sanitized: bytes, sanitizerWarnings: warnings };
  } catch (error) {
    if (!(error instanceof GalleyError)) throw error;
    throw new GalleyError(`image "${written}"${error.line ? ` (its line ${error.line})` : ''}: ${error.message}`, { line });
  }
}

/** SVG text: UTF-8 (the XML default, and what every SVG tool writes), or UTF-16 after its byte order mark. */
function decodeText(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return new TextDecoder('utf-16').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

async function sniffImageType(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const detected = await fileTypeFromBuffer(buffer.subarray(0, bytesRead));
    if (detected && detected.ext !== 'xml') return detected.mime;
  } finally {
    await handle.close();
  }
  // Text: an SVG only if an XML parser finds an <svg> root in the whole file (its size is checked already).
  return isSvgDocument(decodeText(await readFile(file))) ? 'image/svg+xml' : undefined;
}
