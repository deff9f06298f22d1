import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CoverFaces } from '../../src/cover/cover-faces.js';
import { COVER_HEIGHT, COVER_WIDTH, type CoverBook, type CoverLayout, layOutCover } from '../../src/cover/cover-layout.js';

const faces = new CoverFaces();
const MARGIN = 140;

const article: CoverBook = {
  title: 'Documentary reveals perilous path for North Korean defectors',
  standfirst:
    'An award-winning documentary about defecting from North Korea exposes the grim reality facing those who cross the Chinese border.',
  authors: ['Jane Doe', 'John Roe'],
  date: '2023-12-17',
  dateText: 'December 17, 2023',
  publisher: 'The Galley Gazette',
  lang: 'en',
  dir: 'ltr',
};

/** Every point of the cover's path data: the text never leaves the page's margins. */
function points(layout: CoverLayout): { x: number; y: number }[] {
  const blocks = [layout.masthead, layout.title, layout.standfirst, layout.footer.byline, layout.footer.date];
  return blocks.flatMap((block) => {
    const numbers = [...(block?.d ?? '').matchAll(/-?\d+(?:\.\d+)?/g)].map(([number]) => Number(number));
    return numbers.flatMap((x, index) => (index % 2 === 0 ? [{ x, y: numbers[index + 1]! }] : []));
  });
}

function expectInsideMargins(layout: CoverLayout): void {
  const all = points(layout);
  expect(all.length).toBeGreaterThan(100);
  // Glyph outlines may reach a few pixels past their advance (side bearings, italics).
  expect(Math.min(...all.map((point) => point.x))).toBeGreaterThan(MARGIN - 12);
  expect(Math.max(...all.map((point) => point.x))).toBeLessThan(COVER_WIDTH - MARGIN + 12);
  expect(Math.min(...all.map((point) => point.y))).toBeGreaterThan(MARGIN);
  expect(Math.max(...all.map((point) => point.y))).toBeLessThan(COVER_HEIGHT - MARGIN + 30);
}

describe('the cover layout', () => {
  it('sets the article as the browser did: title at 148 px in four lines, capitals in the masthead and footer', async () => {
    const { layout, warnings } = await layOutCover(article, faces);
    expect(warnings).toEqual([]);
    expect(layout.title.size).toBe(148);
    expect(layout.title.lines).toEqual(['Documentary', 'reveals perilous', 'path for North', 'Korean defectors']);
    expect(layout.masthead.lines).toEqual(['THE GALLEY GAZETTE']);
    expect(layout.footer.byline.lines).toEqual(['JANE DOE · JOHN ROE']);
    expect(layout.footer.date?.lines).toEqual(['DECEMBER 17, 2023']);
    expect(layout.standfirst?.lines.join(' ')).toBe(article.standfirst);
    expect(layout.standfirst!.lines.length).toBeGreaterThan(1);
    expectInsideMargins(layout);
    // The accent sits above the title, and the rules span the text's width.
    expect(layout.accent).toMatchObject({ x: MARGIN, width: 220, height: 22 });
    expect(layout.footer.rule).toMatchObject({ x: MARGIN, width: COVER_WIDTH - 2 * MARGIN });
  });

  it('wraps, then shrinks, then cuts a title with an ellipsis and a warning: it never spills out', async () => {
    const long = `${'An ever longer title about publishing '.repeat(12)}the end`;
    const { layout, warnings } = await layOutCover({ ...article, title: long }, faces);
    expect(layout.title.size).toBe(92);
    expect(layout.title.lines.at(-1)).toMatch(/…$/);
    expect(warnings).toContainEqual(
      expect.stringMatching(/^the title is too long for the cover: it is cut after \d+ lines with an ellipsis$/),
    );
    expectInsideMargins(layout);

    const shorter = await layOutCover({ ...article, title: 'An ever longer title about publishing '.repeat(4) }, faces);
    expect(shorter.layout.title.size).toBeLessThan(148);
    expect(shorter.warnings).toEqual([]);
    expect(shorter.layout.title.lines.join(' ')).toBe('An ever longer title about publishing '.repeat(4).trim());
  });

  it('breaks a word wider than the cover between its letters, and cuts long bylines, mastheads and standfirsts', async () => {
    const word = 'Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft';
    const authors = Array.from({ length: 12 }, (_, index) => `Author Number ${index + 1}`);
    const { layout, warnings } = await layOutCover(
      {
        ...article,
        title: word,
        authors,
        publisher: 'A publisher whose name goes on and on and on '.repeat(3),
        standfirst: 'word '.repeat(300),
      },
      faces,
    );
    expect(layout.title.lines.join('')).toBe(word);
    expect(layout.title.lines.length).toBeGreaterThan(1);
    expect(layout.footer.byline.lines).toHaveLength(2);
    expect(layout.masthead.lines).toHaveLength(1);
    expect(layout.standfirst?.lines).toHaveLength(7);
    for (const block of [layout.footer.byline, layout.masthead, layout.standfirst!]) expect(block.lines.at(-1)).toMatch(/…$/);
    expect(warnings.map((warning) => warning.split(' is too long')[0])).toEqual(['the publisher', 'the byline', 'the standfirst']);
    expectInsideMargins(layout);
  });

  it('breaks Korean between words only, in the font the machine has for it', async () => {
    const title = '탈북자들의 험난한 여정을 담은 다큐멘터리가 공개되다';
    const { layout, warnings } = await layOutCover({ ...article, title, standfirst: undefined, lang: 'ko' }, faces);
    expect(warnings).toEqual([]);
    const words = new Set(title.split(' '));
    for (const line of layout.title.lines) for (const piece of line.split(' ')) expect(words).toContain(piece);
    expect(layout.title.lines.join(' ')).toBe(title);
    expectInsideMargins(layout);
  });

  it('sets right-to-left text from the right edge, the byline at the start and the date at the end', async () => {
    const hebrew = {
      ...article,
      title: 'סרט תיעודי חושף את הדרך המסוכנת',
      authors: ['דנה לוי'],
      standfirst: undefined,
      lang: 'he',
      dir: 'rtl' as const,
    };
    const { layout } = await layOutCover(hebrew, faces);
    const right = (d: string) => Math.max(...[...d.matchAll(/(-?\d+(?:\.\d+)?) -?\d+(?:\.\d+)?/g)].map(([, x]) => Number(x)));
    const left = (d: string) => Math.min(...[...d.matchAll(/(-?\d+(?:\.\d+)?) -?\d+(?:\.\d+)?/g)].map(([, x]) => Number(x)));
    expect(right(layout.title.d)).toBeGreaterThan(COVER_WIDTH - MARGIN - 15);
    expect(layout.accent.x).toBe(COVER_WIDTH - MARGIN - 220);
    expect(right(layout.footer.byline.d)).toBeGreaterThan(COVER_WIDTH - MARGIN - 15);
    expect(left(layout.footer.date!.d)).toBeLessThan(MARGIN + 15);
    expectInsideMargins(layout);
  });

  it('warns of a character no font on the machine has', async () => {
    const linearB = '\u{10000}';
    const fonts = execFileSync('fc-list', [`:charset=${linearB.codePointAt(0)!.toString(16)}`], { encoding: 'utf8' });
    const { warnings } = await layOutCover({ ...article, title: `Signs ${linearB} of old` }, faces);
    if (fonts.trim() === '')
      expect(warnings).toEqual([`the title has "${linearB}" (U+10000), which no font here has: the cover shows an empty box instead`]);
    else expect(warnings).toEqual([]);
  });
});
