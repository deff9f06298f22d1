import path from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import { sanitizeSvg } from '../document/svg.js';
import { GalleyError } from '../errors.js';
import type { Template } from '../render/templates.js';
import type { DrawnCover } from './cover-cache.js';
import { CoverFaces } from './cover-faces.js';
import { type CoverBook, layOutCover } from './cover-layout.js';
import { encodePng } from './png.js';

/** The fonts are opened once for the whole run. */
const faces = new CoverFaces();

export interface CoverTemplate {
  render: Template;
  /** Where it was read from: errors name it. */
  file: string;
}

/**
 * Draws the cover from `cover.svg` without a browser: galley sets the text in its own fonts as
 * path data, the template places it, and resvg paints the SVG as a PNG. The SVG is sanitized first:
 * nothing is loaded from outside it.
 */
export async function drawCover(book: CoverBook, template: CoverTemplate): Promise<DrawnCover> {
  const { layout, warnings } = await layOutCover(book, faces);
  const svg = sanitized(fill(template, layout), template.file);
  const bytes = await paint(svg.text, template.file);
  return { bytes, warnings: [...warnings, ...svg.warnings.map((removal) => `${path.basename(template.file)}: ${removal}`)] };
}

function fill(template: CoverTemplate, layout: object): string {
  try {
    return template.render(layout);
  } catch (error) {
    throw new GalleyError(`the cover template failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, {
      file: template.file,
    });
  }
}

function sanitized(svg: string, file: string): { text: string; warnings: string[] } {
  try {
    const { bytes, warnings } = sanitizeSvg(svg);
    return { text: Buffer.from(bytes).toString('utf8'), warnings };
  } catch (error) {
    if (!(error instanceof GalleyError)) throw error;
    throw new GalleyError(`the cover template does not make an SVG: ${error.message}`, { file, line: error.line });
  }
}

/** resvg draws, and zlib compresses, in threads of Node's pool; only a template with <text> of its own makes it look for the machine's fonts. */
async function paint(svg: string, file: string): Promise<Uint8Array> {
  try {
    const image = await renderAsync(svg, { font: { loadSystemFonts: /<text[\s>]/.test(svg) }, logLevel: 'off' });
    return await encodePng(image.pixels, image.width, image.height);
  } catch (error) {
    throw new GalleyError(
      `the cover template makes an SVG that resvg cannot draw: ${error instanceof Error ? error.message : String(error)}`,
      {
        file,
      },
    );
  }
}
