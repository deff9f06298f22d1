import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/document/front-matter.js';
import { GalleyError } from '../../src/errors.js';

function errorOf(source: string): GalleyError {
  try {
    splitFrontMatter(source);
  } catch (error) {
    if (error instanceof GalleyError) return error;
    throw error;
  }
  throw new Error('expected a GalleyError');
}

describe('splitFrontMatter', () => {
  it('reads YAML front matter and says where the body starts', () => {
    const split = splitFrontMatter('---\ntitle: A "quoted" title\ndate: 2023-12-17\nlang: en\n---\n\nBody text\n');
    expect(split.frontMatter).toEqual({ title: 'A "quoted" title', date: '2023-12-17', lang: 'en' });
    expect(split.body).toBe('\nBody text\n');
    expect(split.bodyStartLine).toBe(6);
    expect(split.warnings).toEqual([]);
  });

  it('leaves a document without front matter whole', () => {
    expect(splitFrontMatter('# Title\n\nText')).toMatchObject({ frontMatter: {}, body: '# Title\n\nText', bodyStartLine: 1 });
  });

  it('accepts ---yaml and empty front matter', () => {
    expect(splitFrontMatter('---yaml\ntitle: T\n---\nx').frontMatter).toEqual({ title: 'T' });
    expect(splitFrontMatter('---\n---\nx')).toMatchObject({ frontMatter: {}, bodyStartLine: 3 });
  });

  it.each(['js', 'javascript', 'coffee', 'toml'])('refuses a ---%s opener instead of running it', (language) => {
    const error = errorOf(`---${language}\n{ title: require('fs').writeFileSync('/tmp/pwned', 'x') }\n---\nbody`);
    expect(error.line).toBe(1);
    expect(error.message).toContain(`"${language}" is not accepted`);
  });

  it('points at the line of invalid YAML', () => {
    const error = errorOf('---\ntitle: fine\ndate: [unclosed\nlang: en\n---\nbody');
    expect(error.message).toMatch(/^front matter is not valid YAML: /);
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.line).toBeLessThanOrEqual(5);
  });

  it('points at the line of a field of the wrong type', () => {
    const error = errorOf('---\ntitle: T\n\ndate: 17 December 2023\n---\nbody');
    expect(error.line).toBe(4);
    expect(error.message).toBe('front matter "date" must be a date written YYYY-MM-DD');
    expect(errorOf('---\ntitle:\n  - a list\n---\nb')).toMatchObject({ line: 2, message: 'front matter "title" must be text' });
  });

  it('refuses a language that is not a BCP 47 tag', () => {
    expect(errorOf('---\nlang: english please\n---\nb').message).toMatch(/"lang" is not a valid BCP 47 language tag/);
    expect(splitFrontMatter('---\nlang: pt-BR\n---\nb').frontMatter.lang).toBe('pt-BR');
  });

  it('warns about unknown keys, naming them and their line', () => {
    const split = splitFrontMatter('---\ntitle: T\nlayout: wide\n---\nb');
    expect(split.warnings).toEqual([{ line: 3, message: 'unknown front matter key "layout" is ignored' }]);
  });

  it('removes control characters and splits comma lists', () => {
    const split = splitFrontMatter('---\ntitle: "Bell\\x07 & <tag>"\nauthor: Ann Lee, Bo Kim\nkeywords: [a, b]\n---\nb');
    expect(split.frontMatter).toEqual({ title: 'Bell & <tag>', author: ['Ann Lee', 'Bo Kim'], keywords: ['a', 'b'] });
  });

  it('rejects front matter that never closes, or is not a mapping', () => {
    expect(errorOf('---\ntitle: T\n\nbody').message).toMatch(/never closed/);
    expect(errorOf('---\n- a\n- b\n---\nbody').message).toMatch(/key: value/);
  });
});
