import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { ace, packageOf, readEpub, type EpubReadBack } from '../helpers/epub.js';
import { readPdf, readStructure, type PdfReadBack } from '../helpers/pdf.js';
import { popplerPages } from '../helpers/poppler.js';
import { epubcheck, verapdf } from '../helpers/validators.js';

const run = promisify(execFile);
const SOURCE = 'tests/fixtures/technical/technical.md';
/** The fixture's two diagrams: the flowchart's accDescr, then the sequence diagram's. */
const DIAGRAM_DESCRIPTIONS = [
  'A field sheet is checked by the coordinator; a complete sheet is archived, and one with a gap goes back to its site.',
  'The coordinator asks the volunteer about a missing reading, and the volunteer answers with the reading from the notebook.',
];
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
  '\\bar{Q} = \\frac{1}{N} \\sum_{j=1}^{N} Q_j, \\qquad \\mathrm{SE} = \\sqrt{\\frac{\\sum_{j}(Q_j - \\bar{Q})^2}{N(N-1)}}',
];

/** A technical document: code in five languages (one block with line numbers, long lines), inline and display math, one bad formula, two diagrams. */
describe('technical writing: code, math and diagrams rendered at build time', () => {
  let out: string;
  let result: CliRun;
  let pdfFile: string;
  let pdf: PdfReadBack;
  let text: string;
  let epub: EpubReadBack;
  let chapters: string;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'galley-technical-'));
    result = await runCli('build', SOURCE, '--out', out);
    pdfFile = path.join(out, 'technical.pdf');
    pdf = await readPdf(pdfFile);
    text = (await popplerPages(pdfFile)).join('\n');
    epub = await readEpub(path.join(out, 'technical.epub'));
    chapters = [...epub.text]
      .filter(([entry]) => /section-\d+\.xhtml$/.test(entry))
      .map(([, xhtml]) => xhtml)
      .join('\n');
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('builds, and shows TeX it cannot read as written, with a warning naming its line', () => {
    expect(result.code, result.lines.join('\n')).toBe(0);
    expect(result.lines[0]).toBe(
      `${SOURCE}:121: warning: the formula "\\frac{1}{" is shown as TeX: Unexpected end of input in a macro argument, expected '}' at end of input: \\frac{1}{`,
    );
    expect(text).toContain('\\frac{1}{');
    expect(text).toContain('A kit costs $40 and a meter $250: amounts of money are not formulas.');
  });

  it('embeds Source Code Pro (regular, bold keywords, italic comments) for code and STIX Two Math for formulas', async () => {
    const { stdout } = await run('pdffonts', [pdfFile]);
    const faces = stdout.split('\n').slice(2).filter(Boolean);
    for (const face of ['SourceCodePro\\S*-Regular', 'SourceCodePro\\S*-Bold', 'SourceCodePro\\S*-Italic', 'STIXTwoMath-Regular']) {
      const line = faces.find((candidate) => new RegExp(`\\+${face}\\s`).test(candidate));
      expect(line, `${face}\n${stdout}`).toBeDefined();
      expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
    }
    // The diagrams' labels are set in Liberation Sans (an SVG shown as an image sees only the system's fonts); code never is.
    expect(stdout).not.toContain('LiberationMono');
  });
  it('keeps the code as written in the text layer, one line per line, with line numbers only where asked', () => {
    expect(text).toContain('def means(path: str) -> dict[str, float]:');
    expect(text).toContain('SELECT site, ROUND(AVG(temp), 1) AS mean_temp, COUNT(*) AS readings');
    expect(text).toMatch(/^4 fn means\(sheet: &str\) -> HashMap<&str, f64> \{$/m);
    expect(text).toMatch(/^13 }$/m);
    expect(text).not.toMatch(/^\d+ import csv$/m);
  });

  it('wraps a long line inside the text block, under the line it continues', () => {
    const right = Math.max(
      ...pdf.lines
        .flat()
        .filter((line) => !/^[\p{L}\d ]+$/u.test(line.text))
        .map((line) => line.right),
    );
    const body = Math.max(...pdf.lines[0]!.filter((line) => line.text.startsWith('The monitoring')).map((line) => line.right));
    expect(right).toBeLessThanOrEqual(body + 1);
    expect(text).toMatch(/\/\/ a\nmissing reading counts as zero/);
  });

  it('colours the code in the EPUB too, with the same classes, and numbers the lines of a {.numberLines} block', () => {
    expect(chapters).toContain(
      '<pre class="numberLines"><code class="language-rust"><span class="line"><span class="hljs-keyword">use</span>',
    );
    expect(chapters).toContain('<span class="hljs-comment">-- The same, once the sheets are loaded into a table.</span>');
    expect(chapters).toContain('<pre><code class="language-frobnicate">frob all the sheets --twice\n</code></pre>');
    expect(epub.text.get('OEBPS/style.css') ?? new TextDecoder().decode(epub.bytes.get('OEBPS/style.css'))).toContain('.hljs-keyword');
  });
  it('tags each formula as a Formula with its TeX as alternate text', async () => {
    const formulas = (await readStructure(pdfFile)).filter((element) => element.type === 'Formula');
    expect(formulas.map((formula) => formula.alt)).toEqual(FORMULAS);
  });

  it('carries MathML in the EPUB, each formula with its TeX as alttext, declared in the package', () => {
    const [entry, chapter] = [...epub.text].find(([, xhtml]) => xhtml.includes('<math'))!;
    expect(chapter).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="\\bar{v} = k\\,v_s">');
    expect(chapter).toContain('<annotation encoding="application/x-tex">k \\approx 0.85</annotation>');
    expect(chapter).toContain('<code class="math-source">\\frac{1}{</code>');
    const opf = packageOf(epub);
    const withMath = opf.manifest.filter((item) => item.properties === 'mathml').map((item) => `OEBPS/${item.href}`);
    expect(withMath).toEqual([entry]);
    expect(opf.meta('schema:accessibilityFeature')).toEqual(expect.arrayContaining(['MathML', 'describedMath']));
  });

  it('draws the mermaid diagrams as figures: their labels are text, captioned by the fence title or accTitle', () => {
    for (const label of ['Field sheet', 'Complete?', 'Back to the site', 'Reading at 08:10 missing?', '7.9 °C, from the notebook']) {
      expect(text).toContain(label);
    }
    expect(text).toContain('From the river bank to the archive');
    expect(text).toContain('Answering a question about a sheet');
    expect(text).not.toContain('flowchart LR');
    expect(text).not.toContain('accDescr');
  });

  it('tags each diagram as one Figure whose alternate text is its accessible description', async () => {
    const figures = (await readStructure(pdfFile)).filter((element) => element.type === 'Figure');
    expect(figures.map((figure) => figure.alt)).toEqual(DIAGRAM_DESCRIPTIONS);
  });

  it('packs each diagram into the EPUB as a sanitized, still SVG image with its description as alt text', () => {
    const opf = packageOf(epub);
    const svgs = opf.manifest.filter((item) => item.mediaType === 'image/svg+xml').map((item) => `OEBPS/${item.href}`);
    expect(svgs).toHaveLength(2);
    for (const entry of svgs) {
      const svg = epub.text.get(entry)!;
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* width="\d+"/);
      expect(svg).not.toMatch(/<script|<foreignObject|@keyframes|animation:|\son[a-z]+=|href="(?!#)/i);
    }
    const alts = [...chapters.matchAll(/<img alt="([^"]*)"[^>]*src="images\/image-\d+\.svg"/g)].map((match) => match[1]);
    expect(alts).toEqual(DIAGRAM_DESCRIPTIONS);
    expect(chapters).toContain('<figcaption>From the river bank to the archive</figcaption>');
    expect(opf.meta('schema:accessibilityHazard')).toEqual(['none']);
  });

  it('passes EPUBCheck, Ace (colour contrast included) and veraPDF (3a, ua1), and holds no script', async () => {
    const check = await epubcheck(path.join(out, 'technical.epub'));
    expect(check.output).toBe('');
    expect((await ace(path.join(out, 'technical.epub'))).violations).toEqual([]);
    for (const flavour of ['3a', 'ua1']) expect((await verapdf(pdfFile, flavour)).failed, flavour).toEqual({});
    for (const [entry, xhtml] of epub.text) expect(xhtml, entry).not.toMatch(/<script|\son[a-z]+=/i);
  });
});
