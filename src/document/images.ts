import { open, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { GalleyError } from '../errors.js';
import { formatMegabytes } from '../net/guarded-fetch.js';
import { type SanitizedSvg, sanitizeIfSvg } from './svg.js';

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
  const sniffed = await sniffImageType(resolved).catch(() => {
    throw new GalleyError(`image "${relative}" cannot be read`, { line });
  });
  const svg = typeof sniffed === 'object' ? rewriteSvg(sniffed.text, relative, line) : undefined;
  const mediaType = svg ? 'image/svg+xml' : sniffed;
  if (typeof mediaType !== 'string' || !IMAGE_TYPES.has(mediaType)) {
    throw new GalleyError(`image "${relative}" is not an image galley can use (PNG, JPEG, GIF, WebP or SVG)`, { line });
  }
  return svg ? { path: resolved, mediaType, sanitized: svg.bytes, sanitizerWarnings: svg.warnings } : { path: resolved, mediaType };
}

/**
 * Every SVG goes through the sanitizer (undefined: the text is no SVG); what it refuses fails the
 * document, naming the image and its line.
 */
function rewriteSvg(text: string, written: string, line: number | undefined): SanitizedSvg | undefined {
  try {
    return sanitizeIfSvg(text);
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

/** The media type of a binary image, or the text of any other file (its size is checked already). */
async function sniffImageType(file: string): Promise<string | undefined | { text: string }> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const detected = await fileTypeFromBuffer(buffer.subarray(0, bytesRead));
    if (detected && detected.ext !== 'xml') return detected.mime;
  } finally {
    await handle.close();
  }
  return { text: decodeText(await readFile(file)) };
}
