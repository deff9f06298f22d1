import path from 'node:path';
import { sanitizeSvg } from '../document/svg.js';
import { GalleyError } from '../errors.js';
import type { Template } from '../render/templates.js';
import type { DrawnCover } from './cover-cache.js';
import type { CoverFaces } from './cover-faces.js';
import { type CoverBook, layOutCover } from './cover-layout.js';
import { paintInThisThread } from './paint.js';

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
export async function drawCover(book: CoverBook, template: CoverTemplate, faces: CoverFaces): Promise<DrawnCover> {
  const { layout, warnings } = await layOutCover(book, faces);
  const svg = sanitized(fill(template, layout), template.file);
  const bytes = await paint(svg.text, template.file);
  const name = path.basename(template.file);
  const notDrawn = /<text[\s>]/.test(svg.text.replace(/<!--[\s\S]*?-->/g, ''))
    ? [`${name}: its <text> is not drawn: galley sets the cover's words (use the blocks' d)`]
    : [];
  return { bytes, warnings: [...warnings, ...svg.warnings.map((removal) => `${name}: ${removal}`), ...notDrawn] };
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

async function paint(svg: string, file: string): Promise<Uint8Array> {
  try {
    return await paintInThisThread(svg);
  } catch (error) {
    throw new GalleyError(
      `the cover template makes an SVG that resvg cannot draw: ${error instanceof Error ? error.message : String(error)}`,
      { file },
    );
  }
}
