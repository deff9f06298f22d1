import path from 'node:path';
import { GalleyError } from '../errors.js';
import { checkLocalImage, type CheckedImage } from './images.js';
import type { RemoteImages } from './load.js';
import type { ImageResource, Notice } from './model.js';
import type { ImageReference } from './scan.js';

const URL_SCHEME = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

export interface ResourceLimits {
  maxImageBytes: number;
  remoteImages: RemoteImages | undefined;
}

/**
 * Checks every image the document uses. Local images must be regular files inside the document's
 * folder; images elsewhere (remote, or other schemes) are not loaded.
 */
export async function resolveImages(
  references: ImageReference[],
  root: string,
  warnings: Notice[],
  limits: ResourceLimits,
): Promise<Map<string, ImageResource>> {
  const images = new Map<string, ImageResource>();
  for (const { src, line, useAltText } of references) {
    if (images.has(src)) continue;
    if (!URL_SCHEME.test(src)) {
      images.set(src, imageResource(src, line, await checkLocalImage(src, root, line, limits.maxImageBytes), warnings));
    } else if (limits.remoteImages && /^https?:/i.test(src)) {
      const copy = await limits.remoteImages.download(src).catch((error: unknown) => {
        throw error instanceof GalleyError ? new GalleyError(`image ${error.message}`, { line }) : error;
      });
      const checked = await checkLocalImage(path.basename(copy.path), copy.root, line, limits.maxImageBytes);
      images.set(src, imageResource(src, line, checked, warnings));
    } else {
      const advice = /^https?:/i.test(src) ? ' (allow remote images with --allow-remote)' : '';
      warnings.push({ line, message: `image "${src}" is not loaded: only images inside the document's folder are used${advice}` });
      useAltText?.();
    }
  }
  return images;
}

export async function resolveCover(
  written: string,
  root: string,
  line: number | undefined,
  maxBytes: number,
  warnings: Notice[],
): Promise<ImageResource> {
  if (URL_SCHEME.test(written)) throw new GalleyError(`cover "${written}" must be an image inside the document's folder`, { line });
  const checked = await checkLocalImage(encodeURI(written), root, line, maxBytes).catch((error: unknown) => {
    throw error instanceof GalleyError ? new GalleyError(error.message.replace(/^image /, 'cover '), { line }) : error;
  });
  return imageResource(written, line ?? 1, checked, warnings, 'cover');
}

/** A checked image, its sanitizer's removals reported at the line that uses it. */
function imageResource(src: string, line: number, checked: CheckedImage, warnings: Notice[], what = 'image'): ImageResource {
  const { sanitizerWarnings = [], ...image } = checked;
  for (const removal of sanitizerWarnings) warnings.push({ line, message: `${what} "${src}": ${removal}` });
  return { src, line, ...image };
}
