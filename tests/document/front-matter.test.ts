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

  it('rejects front matter that starts like YAML but never closes or does not parse', () => {
    expect(errorOf('---\ntitle: T\n\nbody').message).toMatch(/never closed/);
    expect(errorOf('---\n# a comment\ntitle: [T\n---\nbody').message).toMatch(/not valid YAML/);
  });

  it.each([
    ['a paragraph', '---\n__Advertisement :)__\n\n- item\n\n---\n\n# Heading\n'],
    ['a list', '---\n- a\n- b\n---\nbody'],
    ['a blank line', '---\n\ntitle: T\n---\nbody'],
    ['a heading', '---\n# Heading\n\nText.\n'],
    ['a longer rule', '----------\ntitle: T\n---\n'],
    ['a time of day', '---\n10:30 is when we met.\n---\n'],
  ])('reads a first line --- followed by %s as Markdown, as pandoc does', (_, source) => {
    expect(splitFrontMatter(source)).toMatchObject({ frontMatter: {}, body: source, bodyStartLine: 1, warnings: [] });
  });

  it('reads comments before the first key as YAML', () => {
    expect(splitFrontMatter('---\n# made by hand\ntitle: T\n---\nb').frontMatter).toEqual({ title: 'T' });
    expect(splitFrontMatter('---\n"quoted key": 1\ntitle: T\n---\nb').frontMatter).toEqual({ title: 'T' });
  });

  it('refuses a YAML alias bomb with one line, not an internal error', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level += 1)
      levels.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(',')}]`,
      );
    const error = errorOf(`---\ntitle: T\n${levels.join('\n')}\n---\nbody`);
    expect(error.message).toMatch(/^front matter is not accepted: .*alias/i);
    expect(error.line).toBe(2);
  });
});

describe('lone surrogates in front matter text', () => {
  it('replaces a high or low surrogate that has no partner with U+FFFD, and keeps pairs', () => {
    expect(splitFrontMatter('---\ntitle: "a\\uD800b"\n---\nx').frontMatter.title).toBe('a\uFFFDb');
    expect(splitFrontMatter('---\ntitle: "\\uDC00a\\uD800"\nauthor: ["\\uD83D\\uDE00", "b\\uDE00"]\n---\nx').frontMatter).toEqual({
      title: '\uFFFDa\uFFFD',
      author: ['\u{1F600}', 'b\uFFFD'],
    });
  });

  it('a document titled with one builds its EPUB, and leaves no temporary folder behind', async () => {
    // Imported here, so that this block is all this file's end-to-end part needs.
    const [{ mkdir, mkdtemp, readdir, rm, writeFile }, os, path, { runCli }] = await Promise.all([
      import('node:fs/promises'),
      import('node:os'),
      import('node:path'),
      import('../helpers/cli.js'),
    ]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-surrogate-'));
    const ownTemp = path.join(dir, 'tmp');
    const systemTemp = process.env.TMPDIR;
    try {
      await mkdir(ownTemp);
      await writeFile(path.join(dir, 'lone.md'), '---\ntitle: "Half \\uD800 a pair"\nlang: en\n---\nText.\n');
      process.env.TMPDIR = ownTemp;
      const result = await runCli('build', path.join(dir, 'lone.md'), '--out', path.join(dir, 'out'), '--format', 'epub');
      expect(result.code, result.stderr).toBe(0);
      expect(await readdir(path.join(dir, 'out'))).toContain('lone.epub');
      expect(await readdir(ownTemp)).toEqual([]);
    } finally {
      if (systemTemp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = systemTemp;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
