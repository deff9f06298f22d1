import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { flat, readPdf, type PdfReadBack } from '../helpers/pdf.js';

const TITLE = '탈북민의 험난한 여정을 그린 다큐멘터리';

describe('a short Korean document in print', () => {
  let dir: string;
  let pdf: PdfReadBack;
  let text: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-korean-'));
    const run = await runCli('build', 'tests/fixtures/print/korean.md', '--out', dir, '--format', 'pdf');
    expect(run.code, run.stderr).toBe(0);
    pdf = await readPdf(path.join(dir, 'korean.pdf'));
    text = flat(pdf.pages.join('\n'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives its Hangul back to text extraction: title, standfirst, byline and body', () => {
    // Korean running text may break between any two syllables, so the body is compared without spaces.
    const squeezed = text.replace(/\s+/g, '');
    expect(text).toContain(TITLE);
    expect(text).toContain('중국 국경을 넘었다가 붙잡혀 송환되는 탈북민들의 현실.');
    expect(text).toContain('김민준');
    expect(text).toContain('2023년 12월 17일');
    expect(squeezed).toContain('다큐멘터리〈비욘드유토피아〉는북한을탈출하는다섯식구의험난한여정을따라간다.');
    expect(squeezed).toContain('유엔난민기구(UNHCR)도강제송환은받아들일수없는행위라고밝혔다.');
    expect(pdf.outline).toEqual([TITLE, '중국의 강제 송환']);
  });

  it('breaks the title only between words', () => {
    const lines = pdf.lines[0]!.map((line) => line.text.trim());
    const titleLines = lines.slice(
      0,
      lines.findIndex((line) => line.startsWith('중국 국경을')),
    );
    expect(titleLines.join(' ')).toBe(TITLE);
    for (const line of titleLines) for (const word of line.split(' ')) expect(TITLE.split(' ')).toContain(word);
  });

  it("embeds every font, the Korean glyphs coming from the system's Nanum faces as CID fonts", () => {
    expect(pdf.fonts.filter((font) => !font.embedded)).toEqual([]);
    // Nanum's TrueType outlines become CID fonts; Noto CJK's CFF outlines would become Type 3 fonts.
    expect(pdf.fonts.filter((font) => font.subtype === 'Type3')).toEqual([]);
    expect(pdf.fonts.map((font) => font.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/SourceSerif4-Regular$/), expect.stringMatching(/NanumMyeongjo$/)]),
    );
    expect(pdf.language).toBe('ko');
  });
});
