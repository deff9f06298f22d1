import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { ace, packageOf, readEpub, type EpubReadBack } from '../helpers/epub.js';
import { readStructure } from '../helpers/pdf.js';
import { popplerPages } from '../helpers/poppler.js';
import { epubcheck, verapdf } from '../helpers/validators.js';

const run = promisify(execFile);
const SOURCE = 'tests/fixtures/technical/formulas.md';
/** The fixture's formulas that are good TeX, in reading order. */
const FORMULAS = [
  'Q',
  'A',
  '\\bar{v}',
  'v_s',
  '\\bar{v} = k\\,v_s',
  'k \\approx 0.85',
  'Q = A\\,\\bar{v} = k \\, A \\, \\frac{L}{t}',
  'n',
  'w',
  'd_i',
  'A \\approx \\sum_{i=1}^{n} w \\, d_i',
  'N',
];

describe('math: TeX turned into MathML at build time', () => {
  let out: string;
  let result: CliRun;
  let pdf: string;
  let epub: EpubReadBack;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'galley-math-'));
    result = await runCli('build', SOURCE, '--out', out);
    pdf = path.join(out, 'formulas.pdf');
    epub = await readEpub(path.join(out, 'formulas.epub'));
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('builds, and shows TeX it cannot read as written, with a warning naming its line', async () => {
    expect(result.code, result.lines.join('\n')).toBe(0);
    expect(result.lines[0]).toBe(
      `${SOURCE}:32: warning: the formula "\\frac{1}{" is shown as TeX: Unexpected end of input in a macro argument, expected '}' at end of input: \\frac{1}{`,
    );
    const text = (await popplerPages(pdf)).join('\n');
    expect(text).toContain('\\frac{1}{');
    expect(text).toContain('A kit costs $40 and a meter $250: amounts of money are not formulas.');
  });

  it('sets formulas in STIX Two Math, embedded, and tags each as a Formula with its TeX as alternate text', async () => {
    const { stdout } = await run('pdffonts', [pdf]);
    expect(stdout).toMatch(/STIXTwoMath-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const formulas = (await readStructure(pdf)).filter((element) => element.type === 'Formula');
    expect(formulas.map((formula) => formula.alt)).toEqual([
      ...FORMULAS,
      '\\bar{Q} = \\frac{1}{N} \\sum_{j=1}^{N} Q_j, \\qquad \\mathrm{SE} = \\sqrt{\\frac{\\sum_{j}(Q_j - \\bar{Q})^2}{N(N-1)}}',
    ]);
    for (const flavour of ['3a', 'ua1']) expect((await verapdf(pdf, flavour)).failed, flavour).toEqual({});
  });

  it('carries MathML in the EPUB, each formula with its TeX as alttext, declared in the package', async () => {
    const chapter = epub.text.get('OEBPS/section-01.xhtml')!;
    expect(chapter).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="\\bar{v} = k\\,v_s">');
    expect(chapter).toContain('<annotation encoding="application/x-tex">k \\approx 0.85</annotation>');
    expect(chapter).toContain('<code class="math-source">\\frac{1}{</code>');
    const opf = packageOf(epub);
    expect(opf.manifest.find((item) => item.href === 'section-01.xhtml')?.properties).toBe('mathml');
    expect(opf.meta('schema:accessibilityFeature')).toEqual(expect.arrayContaining(['MathML', 'describedMath']));
  });

  it('passes EPUBCheck and Ace, and holds no script', async () => {
    const check = await epubcheck(path.join(out, 'formulas.epub'));
    expect(check.output).toBe('');
    expect((await ace(path.join(out, 'formulas.epub'))).violations).toEqual([]);
    for (const [entry, xhtml] of epub.text) expect(xhtml, entry).not.toMatch(/<script|\son[a-z]+=/i);
  });
});
