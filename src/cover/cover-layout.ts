import LineBreaker from 'linebreak';
import type { CoverFaces, CoverStyle } from './cover-faces.js';
import { graphemeSegmenter, lineMetrics, setLine, type SetLine, type TextSetting } from './cover-text.js';

export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2560;

/** What the generated cover shows. */
export interface CoverBook {
  title: string;
  standfirst?: string | undefined;
  authors: string[];
  date?: string | undefined;
  dateText?: string | undefined;
  publisher?: string | undefined;
  lang: string;
  dir: 'ltr' | 'rtl';
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A block of text as SVG path data (empty when there is no text), and its lines as they are set. */
export interface TextBlock {
  d: string;
  lines: string[];
}

/** What `cover.svg` is filled with: the boxes of the rules and the accent, and each block of text already set. */
export interface CoverLayout {
  width: number;
  height: number;
  lang: string;
  dir: 'ltr' | 'rtl';
  masthead: TextBlock & { rule: Box };
  accent: Box;
  title: TextBlock & { size: number };
  standfirst: TextBlock | undefined;
  footer: { rule: Box; byline: TextBlock; date: TextBlock | undefined };
}

/** A cover's layout, and what had to be cut to fit it. */
export interface LaidOutCover {
  layout: CoverLayout;
  warnings: string[];
}

const MARGIN = { top: 150, side: 140, bottom: 140 };
const CONTENT_WIDTH = COVER_WIDTH - 2 * MARGIN.side;
const MASTHEAD = { size: 42, tracking: 0.16, minHeight: 48, gap: 30, rule: 8 };
const ACCENT = { width: 220, height: 22, gap: 72 };
/** Sizes for the title, largest first, with how many lines each may take; a title starts at the size its length suggests. */
const TITLE_SIZES = [
  { size: 210, lines: 8 },
  { size: 172, lines: 8 },
  { size: 148, lines: 8 },
  { size: 118, lines: 10 },
  { size: 92, lines: 13 },
];
const TITLE = { leading: 1.06, rtlLeading: 1.3, bottom: 0.12 };
const STANDFIRST = { size: 58, leading: 1.34, gap: 84, width: 1220, lines: 7 };
const FOOTER = { size: 42, tracking: 0.1, rule: 3, gap: 34, between: 60, bylineLines: 2 };
const ELLIPSIS = '…';
/** Lines are measured piece by piece, and set whole: kerning between pieces may add a fraction of a pixel. */
const TOLERANCE = 0.5;

/** Languages that break lines between words only, not between syllables (CSS `word-break: keep-all`). */
const KEEP_ALL = new Set(['ko']);
/** Languages without italics: their standfirst is upright. */
const UPRIGHT = new Set(['zh', 'ja', 'ko']);

/** The index in TITLE_SIZES a title of this many characters starts at. */
export function titleSizeIndex(title: string): number {
  const length = [...title].length;
  const index = [24, 48, 80, 130].findIndex((limit) => length <= limit);
  return index === -1 ? TITLE_SIZES.length - 1 : index;
}

/** A block set in lines, with the line box it was set in. */
interface SetBlock {
  lines: SetLine[];
  box: LineBox;
}

interface LineBox {
  height: number;
  /** From the top of the box. */
  baseline: number;
}

/**
 * Sets the cover's text as the print edition's cover page would: the masthead and footer in capitals,
 * the title and standfirst wrapped to the width. A title too long for its lines is set smaller, and at
 * the smallest size cut with an ellipsis; every cut is a warning, so that no text spills off the cover.
 */
export async function layOutCover(book: CoverBook, faces: CoverFaces): Promise<LaidOutCover> {
  const warnings: string[] = [];
  const language = book.lang.split('-')[0]!.toLowerCase();
  const setter = new BlockSetter(faces, KEEP_ALL.has(language), warnings);
  const masthead = await setMasthead(setter, book);
  const mainTop = MARGIN.top + masthead.height + MASTHEAD.gap + MASTHEAD.rule;
  const footer = await setFooter(setter, book);
  const main = await setMain(setter, book, UPRIGHT.has(language) || book.dir === 'rtl', footer.top - mainTop);
  const blockTop = mainTop + Math.max(0, (footer.top - mainTop - main.height) / 2);
  const titleTop = blockTop + ACCENT.height + ACCENT.gap;
  const start = (width: number) => (book.dir === 'rtl' ? COVER_WIDTH - MARGIN.side - width : MARGIN.side);
  const end = (width: number) => (book.dir === 'rtl' ? MARGIN.side : COVER_WIDTH - MARGIN.side - width);
  const at = ({ lines, box }: SetBlock, top: number, x = start): TextBlock => ({
    d: lines.map((line, index) => line.draw(x(line.width), top + index * box.height + box.baseline)).join(''),
    lines: lines.map((line) => line.text),
  });
  const footerText = footer.top + FOOTER.rule + FOOTER.gap;
  const layout: CoverLayout = {
    width: COVER_WIDTH,
    height: COVER_HEIGHT,
    lang: book.lang,
    dir: book.dir,
    masthead: {
      ...at(masthead.block, MARGIN.top + (masthead.height - masthead.block.box.height) / 2),
      rule: { x: MARGIN.side, y: mainTop - MASTHEAD.rule, width: CONTENT_WIDTH, height: MASTHEAD.rule },
    },
    accent: { x: start(ACCENT.width), y: blockTop, width: ACCENT.width, height: ACCENT.height },
    title: { ...at(main.title, titleTop), size: main.titleSize },
    standfirst: main.standfirst.lines.length > 0 ? at(main.standfirst, titleTop + main.titleHeight + STANDFIRST.gap) : undefined,
    footer: {
      rule: { x: MARGIN.side, y: footer.top, width: CONTENT_WIDTH, height: FOOTER.rule },
      byline: at(footer.byline, footerText),
      date: footer.date.lines.length > 0 ? at(footer.date, footerText, end) : undefined,
    },
  };
  return { layout, warnings };
}

/** The publisher, on one line; an empty masthead keeps its rule, at its least height. */
async function setMasthead(setter: BlockSetter, book: CoverBook): Promise<{ block: SetBlock; height: number }> {
  const setting: TextSetting = {
    ...direction(book),
    style: 'label',
    size: MASTHEAD.size,
    letterSpacing: MASTHEAD.size * MASTHEAD.tracking,
  };
  const lines = await setter.lines(caps(book.publisher ?? '', book.lang), setting, CONTENT_WIDTH, 1, 'the publisher');
  const box = await setter.lineBox('label', MASTHEAD.size, 1);
  return { block: { lines, box }, height: lines.length > 0 ? Math.max(MASTHEAD.minHeight, box.height) : MASTHEAD.minHeight };
}

/** The byline (up to two lines) and the date beside it, above the bottom margin; `top` is the rule's. */
async function setFooter(setter: BlockSetter, book: CoverBook): Promise<{ byline: SetBlock; date: SetBlock; top: number }> {
  const dateSetting: TextSetting = { ...direction(book), style: 'date', size: FOOTER.size, letterSpacing: FOOTER.size * FOOTER.tracking };
  const box = await setter.lineBox('label', FOOTER.size, 1);
  const date = book.dateText ? await setter.lines(caps(book.dateText, book.lang), dateSetting, CONTENT_WIDTH, 1, 'the date') : [];
  const bylineWidth = CONTENT_WIDTH - (date.length > 0 ? date[0]!.width + FOOTER.between : 0);
  const bylineSetting: TextSetting = { ...dateSetting, style: 'label' };
  const authors = caps(book.authors.join(' · '), book.lang);
  const byline = await setter.lines(authors, bylineSetting, bylineWidth, FOOTER.bylineLines, 'the byline');
  const top = COVER_HEIGHT - MARGIN.bottom - FOOTER.rule - FOOTER.gap - Math.max(1, byline.length) * box.height;
  return { byline: { lines: byline, box }, date: { lines: date, box }, top };
}

/** The title and the standfirst under it, in the room between masthead and footer: the title takes what the standfirst leaves. */
async function setMain(setter: BlockSetter, book: CoverBook, upright: boolean, room: number) {
  const style: CoverStyle = upright ? 'standfirstUpright' : 'standfirst';
  const setting: TextSetting = { ...direction(book), style, size: STANDFIRST.size, letterSpacing: 0 };
  const lines = book.standfirst ? await setter.lines(book.standfirst, setting, STANDFIRST.width, STANDFIRST.lines, 'the standfirst') : [];
  const standfirst = { lines, box: await setter.lineBox(style, STANDFIRST.size, STANDFIRST.leading) };
  const standfirstHeight = lines.length > 0 ? STANDFIRST.gap + lines.length * standfirst.box.height : 0;
  const leading = book.dir === 'rtl' ? TITLE.rtlLeading : TITLE.leading;
  const titleRoom = room - ACCENT.height - ACCENT.gap - standfirstHeight;
  const title = await setter.title(book.title, { ...direction(book), style: 'title', letterSpacing: 0 }, leading, titleRoom);
  const titleBox = await setter.lineBox('title', title.size, leading);
  const titleHeight = title.lines.length * titleBox.height + TITLE.bottom * title.size;
  return {
    title: { lines: title.lines, box: titleBox },
    titleSize: title.size,
    titleHeight,
    standfirst,
    height: ACCENT.height + ACCENT.gap + titleHeight + standfirstHeight,
  };
}

function direction(book: CoverBook): Pick<TextSetting, 'lang' | 'dir'> {
  return { lang: book.lang, dir: book.dir };
}

/** CSS `text-transform: uppercase` in the document's language. */
function caps(text: string, lang: string): string {
  try {
    return text.toLocaleUpperCase(lang);
  } catch {
    return text.toUpperCase();
  }
}

/** Wraps blocks of text, and reports every one it has to cut. */
class BlockSetter {
  constructor(
    private readonly faces: CoverFaces,
    private readonly keepAll: boolean,
    private readonly warnings: string[],
  ) {}

  /** A line box of `leading` times the size (1 for the face's own line height), its baseline half the leading below its top. */
  async lineBox(style: CoverStyle, size: number, leading: number): Promise<LineBox> {
    const { ascent, descent, lineGap } = await lineMetrics(this.faces, style, size);
    const height = leading === 1 ? ascent + descent + lineGap : leading * size;
    return { height, baseline: (height - (ascent + descent)) / 2 + ascent };
  }

  /** `text` wrapped to `width` in at most `maxLines` lines, the last cut with an ellipsis when there is more. */
  async lines(text: string, setting: TextSetting, width: number, maxLines: number, what: string): Promise<SetLine[]> {
    if (text.trim() === '') return [];
    const lines = await this.#wrap(text, setting, width);
    this.#missing(lines, what);
    if (lines.length <= maxLines && lines.every((line) => line.width <= width + TOLERANCE)) return lines;
    this.warnings.push(`${what} is too long for the cover: it is cut after ${maxLines} line${maxLines === 1 ? '' : 's'} with an ellipsis`);
    const kept = lines.slice(0, maxLines - 1);
    return [
      ...kept,
      await this.#ellipsis(
        lines
          .slice(maxLines - 1)
          .map((line) => line.text)
          .join(' '),
        setting,
        width,
      ),
    ];
  }

  /** The title at the largest size that fits its lines and the room left, starting from the size its length suggests. */
  async title(
    text: string,
    setting: Omit<TextSetting, 'size'>,
    leading: number,
    room: number,
  ): Promise<{ size: number; lines: SetLine[] }> {
    const fits = (size: number, count: number) => count * leading * size + TITLE.bottom * size <= room;
    const sizes = TITLE_SIZES.slice(titleSizeIndex(text));
    for (const { size, lines: maxLines } of sizes) {
      const lines = await this.#wrap(text, { ...setting, size }, CONTENT_WIDTH);
      if (lines.length <= maxLines && fits(size, lines.length)) {
        this.#missing(lines, 'the title');
        return { size, lines };
      }
    }
    const smallest = TITLE_SIZES.at(-1)!;
    let maxLines = smallest.lines;
    while (maxLines > 1 && !fits(smallest.size, maxLines)) maxLines--;
    return {
      size: smallest.size,
      lines: await this.lines(text, { ...setting, size: smallest.size }, CONTENT_WIDTH, maxLines, 'the title'),
    };
  }

  /**
   * Greedy, as browsers wrap: each line takes all the pieces between break opportunities that fit
   * (each piece is measured once); a piece wider than the line is broken between characters.
   */
  async #wrap(text: string, setting: TextSetting, width: number): Promise<SetLine[]> {
    const lines: SetLine[] = [];
    let line = '';
    let lineWidth = 0;
    const endLine = async () => {
      if (line.trim() !== '') lines.push(await setLine(this.faces, shownEnd(line), setting));
      [line, lineWidth] = ['', 0];
    };
    for (const { piece, forced } of this.#pieces(text)) {
      const [whole, shown] = await this.#widths(piece, setting);
      if (line !== '' && lineWidth + shown > width + TOLERANCE) await endLine();
      if (line === '' && shown > width + TOLERANCE) {
        const broken = await this.#breakWithin(piece, setting, width);
        lines.push(...broken.lines);
        [line, lineWidth] = [broken.rest, broken.restWidth];
      } else [line, lineWidth] = [line + piece, lineWidth + whole];
      if (forced) await endLine();
    }
    await endLine();
    return lines;
  }

  /** How wide a piece is with its trailing spaces, and as it ends a line. */
  async #widths(piece: string, setting: TextSetting): Promise<[number, number]> {
    const shown = shownEnd(piece);
    const shownWidth = (await setLine(this.faces, shown, setting)).width;
    return [shown === piece ? shownWidth : (await setLine(this.faces, piece, setting)).width, shownWidth];
  }

  /** Pieces of text that end at break opportunities (UAX #14; only at spaces and hyphens for keep-all languages). */
  *#pieces(text: string): Generator<{ piece: string; forced: boolean }> {
    const breaker = new LineBreaker(text);
    let last = 0;
    for (let found = breaker.nextBreak(); found; found = breaker.nextBreak()) {
      const before = text[found.position - 1] ?? '';
      if (this.keepAll && !found.required && found.position < text.length && !/[\s\-\u2010-\u2014/]/u.test(before)) continue;
      yield { piece: text.slice(last, found.position), forced: found.required && found.position < text.length };
      last = found.position;
    }
  }

  /** Whole lines of `text` broken between characters (CSS overflow-wrap: break-word), and what is left for the next line. */
  async #breakWithin(text: string, setting: TextSetting, width: number): Promise<{ lines: SetLine[]; rest: string; restWidth: number }> {
    const lines: SetLine[] = [];
    let [line, lineWidth] = ['', 0];
    for (const grapheme of graphemesOf(text, setting.lang)) {
      const graphemeWidth = (await setLine(this.faces, grapheme, setting)).width;
      if (line !== '' && lineWidth + graphemeWidth > width + TOLERANCE) {
        lines.push(await setLine(this.faces, line.trimEnd(), setting));
        [line, lineWidth] = ['', 0];
      }
      [line, lineWidth] = [line + grapheme, lineWidth + graphemeWidth];
    }
    return { lines, rest: line, restWidth: lineWidth };
  }

  /** `text` cut to one line of `width` that ends with an ellipsis: as many characters as their widths allow, then fewer until the set line fits. */
  async #ellipsis(text: string, setting: TextSetting, width: number): Promise<SetLine> {
    const graphemes = graphemesOf(text, setting.lang);
    const room = width - (await setLine(this.faces, ELLIPSIS, setting)).width;
    let count = 0;
    for (let used = 0; count < graphemes.length; count++) {
      used += (await setLine(this.faces, graphemes[count]!, setting)).width;
      if (used > room) break;
    }
    for (; count > 0; count--) {
      const line = await setLine(this.faces, `${graphemes.slice(0, count).join('').trimEnd()}${ELLIPSIS}`, setting);
      if (line.width <= width + TOLERANCE) return line;
    }
    return setLine(this.faces, ELLIPSIS, setting);
  }

  #missing(lines: SetLine[], what: string): void {
    const missing = [...new Set(lines.flatMap((line) => line.missing))];
    if (missing.length === 0) return;
    const names = missing.map((character) => `"${character}" (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
    this.warnings.push(`${what} has ${names.join(', ')}, which no font here has: the cover shows an empty box instead`);
  }
}

function graphemesOf(text: string, lang: string): string[] {
  return [...graphemeSegmenter(lang).segment(text)].map(({ segment }) => segment);
}

/** A line as shown: without its trailing spaces, and with a hyphen where it ends at a soft hyphen. */
function shownEnd(line: string): string {
  const trimmed = line.trimEnd();
  return trimmed.endsWith('\u00AD') ? `${trimmed.slice(0, -1)}-` : trimmed;
}
