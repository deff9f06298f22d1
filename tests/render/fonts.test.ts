import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fontDirs, fontFaceCss } from '../../src/render/fonts.js';

interface Face {
  family: string;
  style: string;
  weight: string;
  file: string;
}

function faces(css: string): Face[] {
  return [...css.matchAll(/@font-face \{([^}]*)\}/g)].map(([, body]) => ({
    family: /font-family: "([^"]+)"/.exec(body!)![1]!,
    style: /font-style: (\w+)/.exec(body!)![1]!,
    weight: /font-weight: (\d+)/.exec(body!)![1]!,
    file: fileURLToPath(/src: url\("([^"]+)"\)/.exec(body!)![1]!),
  }));
}

describe('the print fonts', () => {
  const all = faces(fontFaceCss());

  it('point at WOFF2 files that exist, inside the font packages the page may load from', () => {
    expect(all.length).toBeGreaterThan(0);
    const dirs = fontDirs();
    for (const face of all) {
      expect(existsSync(face.file), face.file).toBe(true);
      expect(face.file.endsWith('.woff2')).toBe(true);
      expect(
        dirs.some((dir) => face.file.startsWith(dir + path.sep)),
        face.file,
      ).toBe(true);
    }
  });

  it('have a real italic and a real bold for the text face, and the heading weights of the sans', () => {
    const has = (family: string, weight: string, style: string) =>
      all.some((face) => face.family === family && face.weight === weight && face.style === style && /-latin-\d+-/.test(face.file));
    for (const [weight, style] of [
      ['400', 'normal'],
      ['400', 'italic'],
      ['700', 'normal'],
      ['700', 'italic'],
      ['600', 'normal'],
    ]) {
      expect(has('Source Serif 4', weight!, style!), `Source Serif 4 ${weight} ${style}`).toBe(true);
    }
    expect(has('Source Sans 3', '600', 'normal')).toBe(true);
  });

  it('give every subset its unicode-range, so Chrome loads only the files a document uses; the math font is one whole face', () => {
    const css = fontFaceCss();
    const rules = [...css.matchAll(/@font-face \{([^}]*)\}/g)].map(([, body]) => body!);
    const math = rules.filter((body) => body.includes('"STIX Two Math"'));
    expect(math).toHaveLength(1);
    expect(math[0]).not.toContain('unicode-range');
    for (const body of rules.filter((rule) => !math.includes(rule))) expect(body).toMatch(/unicode-range: U\+/);
  });
});
