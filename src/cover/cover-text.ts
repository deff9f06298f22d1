import * as bidiModule from 'bidi-js';
import type { Bidi } from 'bidi-js';
import type { Glyph, GlyphPosition } from 'fontkit';
import type { CoverFaces, CoverStyle, Face } from './cover-faces.js';

/** How a piece of text is set: its style, size and tracking, and the language that picks fonts for it. */
export interface TextSetting {
  style: CoverStyle;
  /** Font size in pixels. */
  size: number;
  /** Added after each character, in pixels (CSS letter-spacing). */
  letterSpacing: number;
  lang: string;
  dir: 'ltr' | 'rtl';
}

/** A line of text shaped by its fonts: how wide it is, and its glyphs as SVG path data at a place. */
export interface SetLine {
  text: string;
  width: number;
  /** Path data for the line with its start (its left edge) at `x` and its baseline at `y`. */
  draw(x: number, y: number): string;
  /** Characters that no font on the machine has: they are drawn as empty boxes. */
  missing: string[];
}

/** A run of glyphs of one face and one direction, in font units: the same at every size. */
interface ShapedRun {
  face: Face;
  /** Its bidi embedding level: odd for right to left. */
  level: number;
  glyphs: Glyph[];
  positions: GlyphPosition[];
  advance: number;
}

interface Shaped {
  runs: ShapedRun[];
  missing: string[];
}

const WHITESPACE = /^\s+$/u;
const SOFT_HYPHEN = '\u00AD';
// A CommonJS package to TypeScript, whose default export is its factory in every loader galley meets.
const bidi = (bidiModule as unknown as { default: () => Bidi }).default();

/** Text shaped already, by style, language, direction, tracking and text: wrapping measures the same words at several sizes. */
const shapedTexts = new Map<string, Promise<Shaped>>();
const SHAPED_TEXTS_KEPT = 4096;

/** `text` set in `setting`: its width, and its glyphs in their visual order (the Unicode bidi algorithm, the document's direction the paragraph's). */
export async function setLine(faces: CoverFaces, text: string, setting: TextSetting): Promise<SetLine> {
  const shown = text.replaceAll(SOFT_HYPHEN, '');
  const { runs, missing } = await shapedText(faces, shown, setting);
  const glyphs = runs.reduce((sum, run) => sum + run.glyphs.length, 0);
  const width =
    runs.reduce((sum, run) => sum + (run.advance * setting.size) / run.face.font.unitsPerEm, 0) + glyphs * setting.letterSpacing;
  return { text: shown, width, draw: (x, y) => drawRuns(visualOrder(runs), x, y, setting), missing };
}

function shapedText(faces: CoverFaces, text: string, setting: TextSetting): Promise<Shaped> {
  const key = [setting.style, setting.lang, setting.dir, setting.letterSpacing === 0, text].join('\0');
  let shaped = shapedTexts.get(key);
  if (!shaped) {
    shaped = shapeText(faces, text, setting);
    if (shapedTexts.size >= SHAPED_TEXTS_KEPT) shapedTexts.delete(shapedTexts.keys().next().value!);
    shapedTexts.set(key, shaped);
  }
  return shaped;
}

/** Shapes `text` in runs of one face and one direction each, so that each character is drawn by a font that has it. */
async function shapeText(faces: CoverFaces, text: string, setting: TextSetting): Promise<Shaped> {
  const { levels } = bidi.getEmbeddingLevels(text, setting.dir);
  const runs: ShapedRun[] = [];
  const missing: string[] = [];
  let current: { face: Face; level: number; text: string } | undefined;
  for (const { segment, index } of graphemeSegmenter(setting.lang).segment(text)) {
    const level = levels[index]!;
    const space = WHITESPACE.test(segment);
    const found = space ? current?.face : await faces.faceFor(setting.style, segment.codePointAt(0)!, setting.lang);
    if (!found && !space) missing.push(segment);
    const face = found ?? (await faces.primary(setting.style));
    if (current && current.face === face && current.level === level) current.text += segment;
    else {
      if (current) runs.push(shape(current, setting));
      current = { face, level, text: segment };
    }
  }
  if (current) runs.push(shape(current, setting));
  return { runs, missing };
}

const segmenters = new Map<string, Intl.Segmenter>();

export function graphemeSegmenter(lang: string): Intl.Segmenter {
  let segmenter = segmenters.get(lang);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(lang, { granularity: 'grapheme' });
    segmenters.set(lang, segmenter);
  }
  return segmenter;
}

/** Rule L2 of the bidi algorithm, on runs: from the highest level down to the lowest odd one, each sequence of runs at that level or above is reversed. */
function visualOrder(runs: ShapedRun[]): ShapedRun[] {
  const order = [...runs];
  const highest = Math.max(0, ...runs.map((run) => run.level));
  const lowestOdd = Math.min(...runs.map((run) => run.level).filter((level) => level % 2 === 1), highest + 1);
  for (let level = highest; level >= lowestOdd; level--) {
    for (let start = 0; start < order.length; start++) {
      if (order[start]!.level < level) continue;
      let end = start;
      while (end + 1 < order.length && order[end + 1]!.level >= level) end++;
      order.splice(start, end - start + 1, ...order.slice(start, end + 1).reverse());
      start = end;
    }
  }
  return order;
}

/** fontkit applies the font's kerning and ligatures (none when the text is tracked, as in CSS), and gives right-to-left runs in visual order. */
function shape({ face, level, text }: { face: Face; level: number; text: string }, setting: TextSetting): ShapedRun {
  const features = setting.letterSpacing === 0 ? undefined : { liga: false, clig: false, dlig: false };
  const run = face.font.layout(text, features);
  const advance = run.positions.reduce((sum, position) => sum + position.xAdvance, 0);
  return { face, level, glyphs: run.glyphs, positions: run.positions, advance };
}

function drawRuns(runs: ShapedRun[], x: number, y: number, setting: TextSetting): string {
  const parts: string[] = [];
  let pen = x;
  for (const run of runs) {
    const scale = setting.size / run.face.font.unitsPerEm;
    run.glyphs.forEach((glyph, index) => {
      const position = run.positions[index]!;
      parts.push(pathData(outline(glyph), scale, pen + position.xOffset * scale, y - position.yOffset * scale));
      pen += position.xAdvance * scale + setting.letterSpacing;
    });
  }
  return parts.join('');
}

type Outline = { command: string; args: number[] }[];
const SVG_COMMANDS: Record<string, string> = { moveTo: 'M', lineTo: 'L', quadraticCurveTo: 'Q', bezierCurveTo: 'C', closePath: 'Z' };
const outlines = new WeakMap<Glyph, Outline>();

/** A glyph's outline in font units, read once (fontkit decodes it on every `path`). */
function outline(glyph: Glyph): Outline {
  let commands = outlines.get(glyph);
  if (!commands) {
    commands = glyph.path.commands.map(({ command, args }) => ({ command: SVG_COMMANDS[command] ?? '', args }));
    outlines.set(glyph, commands);
  }
  return commands;
}

/** Path data for an outline at `scale`, its origin at (x, y), y upwards as in fonts; a tenth of a pixel is finer than the cover shows. */
function pathData(commands: Outline, scale: number, x: number, y: number): string {
  let data = '';
  for (const { command, args } of commands) {
    data += command;
    for (let i = 0; i < args.length; i += 2) {
      data += `${i > 0 ? ' ' : ''}${Math.round((x + args[i]! * scale) * 10) / 10} ${Math.round((y - args[i + 1]! * scale) * 10) / 10}`;
    }
  }
  return data;
}

/** The vertical metrics of the face that sets `style` in Latin, in pixels at `size`. */
export async function lineMetrics(
  faces: CoverFaces,
  style: CoverStyle,
  size: number,
): Promise<{ ascent: number; descent: number; lineGap: number }> {
  const { font } = await faces.primary(style);
  const scale = size / font.unitsPerEm;
  return { ascent: font.ascent * scale, descent: -font.descent * scale, lineGap: font.lineGap * scale };
}
