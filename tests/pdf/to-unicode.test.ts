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
