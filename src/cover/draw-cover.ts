import path from 'node:path';
import { sanitizeSvg } from '../document/svg.js';
import { GalleyError } from '../errors.js';
import type { Template } from '../render/templates.js';
import type { DrawnCover } from './cover-cache.js';
import type { CoverBook, LaidOutCover } from './cover-layout.js';

export interface CoverTemplate {
  render: Template;
  /** Where it was read from: errors name it. */
  file: string;
}

/** What draws a cover: its text set in galley's fonts, and an SVG painted as a PNG. */
export interface CoverDrawing {
  layOut: (book: CoverBook) => Promise<LaidOutCover>;
  paint: (svg: string) => Promise<Uint8Array>;
}

/**
 * Draws the cover from `cover.svg` without a browser: galley sets the text in its own fonts as
 * path data, the template places it, and resvg paints the SVG as a PNG. The SVG is sanitized first:
 * nothing is loaded from outside it.
 */
export async function drawCover(book: CoverBook, template: CoverTemplate, drawing: CoverDrawing): Promise<DrawnCover> {
  const { layout, warnings } = await drawing.layOut(book);
  const svg = sanitized(fill(template, layout), template.file);
  const bytes = await paint(drawing, svg.text, template.file);
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

async function paint(drawing: CoverDrawing, svg: string, file: string): Promise<Uint8Array> {
  try {
    return await drawing.paint(svg);
  } catch (error) {
    throw new GalleyError(
      `the cover template makes an SVG that resvg cannot draw: ${error instanceof Error ? error.message : String(error)}`,
      { file },
    );
  }
}
