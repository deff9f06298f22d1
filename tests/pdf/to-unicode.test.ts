import { describe, expect, it } from 'vitest';
import { repairCMap } from '../../src/pdf/to-unicode.js';

const HEAD = '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n';
const TAIL = 'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n';

describe('repairCMap', () => {
  it('maps the glyphs Chrome wrote as ʼ and ʻ back to ’ and ‘, in single entries and in ranges', () => {
    const cmap = `${HEAD}2 beginbfchar\n<0001> <0020>\n<00A9> <02BC>\nendbfchar\n1 beginbfchar\n<007F> <0066006C>\nendbfchar\n1 beginbfrange\n<0010> <0013> <02B9>\nendbfrange\n${TAIL}`;
    const repaired = repairCMap(cmap);
    expect(repaired.startsWith(HEAD)).toBe(true);
    expect(repaired.endsWith(TAIL)).toBe(true);
    const entries = [...repaired.matchAll(/<([0-9A-F]+)> <([0-9A-F]+)>/g)].map(([, code, text]) => `${code}=${text}`);
    expect(entries).toEqual(['0000=FFFF', '0001=0020', '00A9=2019', '007F=0066006C', '0010=02B9', '0011=02BA', '0012=2018', '0013=2019']);
  });

  it('gives a glyph shared by canonical equivalents the canonical character: 〈 rather than U+2329', () => {
    const cmap = `${HEAD}2 beginbfchar\n<0005> <2329>\n<0006> <212B>\nendbfchar\n${TAIL}`;
    expect(repairCMap(cmap)).toContain('<0005> <3008>\n<0006> <00C5>');
  });

  it('gives a glyph that stands for no character (a piece of a tall radical) a zero-width space, as PDF/A wants', () => {
    const cmap = `${HEAD}2 beginbfchar\n<062F> <0000>\n<0630> <FEFF>\nendbfchar\n${TAIL}`;
    expect(repairCMap(cmap)).toContain('<062F> <200B>\n<0630> <200B>');
  });

  it('reads ranges whose text lies outside the BMP, counting up the low surrogate, next to ordinary ones', () => {
    const cmap = `${HEAD}2 beginbfrange\n<0BF7> <0BF8> <D835DC34>\n<0C00> <0C01> <0041>\nendbfrange\n1 beginbfchar\n<0001> <02BC>\nendbfchar\n${TAIL}`;
    const entries = [...repairCMap(cmap).matchAll(/<([0-9A-F]+)> <([0-9A-F]+)>/g)].map(([, code, text]) => `${code}=${text}`);
    expect(entries.slice(1)).toEqual(['0BF7=D835DC34', '0BF8=D835DC35', '0C00=0041', '0C01=0042', '0001=2019']);
  });

  it('keeps the width of one-byte codes (Type 3 fonts)', () => {
    const cmap = `${HEAD}1 beginbfchar\n<41> <02BC>\nendbfchar\n${TAIL}`;
    expect(repairCMap(cmap)).toContain('<41> <2019>');
  });

  it('leaves a CMap without those glyphs, or in a form it does not read, as it is', () => {
    const plain = `${HEAD}1 beginbfchar\n<0001> <0020>\nendbfchar\n${TAIL}`;
    expect(repairCMap(plain)).toBe(plain);
    const arrays = `${HEAD}1 beginbfchar\n<0002> <02BC>\nendbfchar\n1 beginbfrange\n<0010> <0011> [<0041> <0042>]\nendbfrange\n${TAIL}`;
    expect(repairCMap(arrays)).toBe(arrays);
  });
});
