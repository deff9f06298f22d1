// npm run bench: whole-process timings of galley on this machine (medians), and peak memory.
// Usage: node scripts/bench.mjs [--articles 100] [--runs 3] [--chapters 100] [--long-batch 300]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'galley.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const ARTICLES = option('articles', 100);
const RUNS = option('runs', 3);
/** The generated book: this many chapters of about 1,800 words, in parts of ten (180,000 words for 100). */
const CHAPTERS = option('chapters', 100);
/** The batches whose peak memory shows whether it stays flat. */
const MEMORY_BATCHES = [10, 100, option('long-batch', 300)];

const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her ' +
  'she there been one all we their has would when if so no will more out up into do any your what some can only other new time ' +
  'could these two may first then do any like my now over such our man me even most made after also did many before must through'
).split(' ');

/** Deterministic pseudo-random words, so every run builds the same corpus. */
function words(seed, count) {
  let state = seed;
  const out = [];
  for (let index = 0; index < count; index += 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[state % WORDS.length]);
  }
  out[0] = out[0][0].toUpperCase() + out[0].slice(1);
  return `${out.join(' ')}.`;
}

function article(index) {
  const paragraph = (seed) => words(index * 100 + seed, 90);
  return [
    '---',
    `title: Generated article ${index + 1}`,
    'date: 2024-01-15',
    'lang: en',
    `description: ${words(index, 20)}`,
    '---',
    '',
    paragraph(1),
    '',
    paragraph(2),
    '',
    '## Background',
    '',
    paragraph(3),
    '',
    `- ${words(index + 4, 8)}\n- ${words(index + 5, 10)}\n- ${words(index + 6, 7)}`,
    '',
    paragraph(7),
    '',
    '![A chart of the figures](chart.svg "The figures, by year")',
    '',
    '## The figures',
    '',
    '| Year | Arrivals | Returned |\n| ---- | -------: | -------: |\n| 2019 | 1,047 | 312 |\n| 2020 | 229 | 98 |\n| 2021 | 63 | 41 |\n| 2022 | 67 | 35 |',
    '',
    `${paragraph(8)}[^1]`,
    '',
    '## What comes next',
    '',
    paragraph(9),
    '',
    paragraph(10),
    '',
    `[^1]: ${words(index + 11, 12)}`,
    '',
  ].join('\n');
}

const CHART = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">
<rect width="400" height="200" fill="#f4f1ea"/><rect x="40" y="40" width="60" height="140" fill="#6b705c"/>
<rect x="130" y="120" width="60" height="60" fill="#a5a58d"/><rect x="220" y="160" width="60" height="20" fill="#b7b7a4"/>
<rect x="310" y="158" width="60" height="22" fill="#cb997e"/></svg>`;

const LISTING = `use std::collections::HashMap;

/// Counts how often each word occurs in a text.
pub fn word_counts(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    counts
}`;

/** One chapter of the generated book: four sections of prose, a listing, a note, a link to the next chapter, an image in every tenth. */
function chapter(index) {
  const paragraph = (seed) => words(index * 1000 + seed, 95);
  const section = (title, seed) => [
    `## ${title}`,
    '',
    paragraph(seed),
    '',
    paragraph(seed + 1),
    '',
    paragraph(seed + 2),
    '',
    paragraph(seed + 3),
    '',
  ];
  const next =
    index + 1 < CHAPTERS
      ? `Read on in [the next chapter](ch${String(index + 2).padStart(3, '0')}.md#the-argument).`
      : 'This is the last chapter.';
  return [
    `# Chapter ${index + 1}: ${words(index, 4).replace(/\.$/, '')}`,
    '',
    paragraph(1),
    '',
    ...section('The argument', 10),
    ...section('The evidence', 20),
    '```rust',
    LISTING,
    '```',
    '',
    ...(index % 10 === 0 ? ['![A chart of the figures](chart.svg "The figures, by year")', ''] : []),
    ...section('The objections', 30),
    `${paragraph(40)}[^note-${index + 1}]`,
    '',
    ...section('What follows', 50),
    next,
    '',
    `[^note-${index + 1}]: ${words(index + 7, 25)}`,
    '',
  ].join('\n');
}

const SNIPPETS = {
  rust: 'fn mean(values: &[f64]) -> f64 {\n    values.iter().sum::<f64>() / values.len() as f64 // the arithmetic mean\n}',
  python: 'def mean(values: list[float]) -> float:\n    """The arithmetic mean."""\n    return sum(values) / len(values)',
  javascript: 'export const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;',
  sql: "SELECT site, AVG(temp) AS mean FROM readings WHERE taken_at >= '2024-01-01' GROUP BY site;",
  bash: 'for sheet in sheets/*.csv; do\n  python3 mean.py "$sheet" || echo "failed: $sheet" >&2\ndone',
};
const FORMULAS = [
  '\\bar{x} = \\frac{1}{n}\\sum_{i=1}^{n} x_i',
  'Q = A\\,\\bar{v}',
  '\\sigma = \\sqrt{\\frac{\\sum (x_i - \\bar{x})^2}{n-1}}',
  'e^{i\\pi} + 1 = 0',
];

const DIAGRAMS = [
  'flowchart LR\n  accDescr: A sheet is checked, then archived or sent back.\n  A[Field sheet] --> B{Complete?}\n  B -->|yes| C[(Archive)]\n  B -->|no| D[Back to the site]',
  'sequenceDiagram\n  accDescr: The coordinator asks, the volunteer answers.\n  Coordinator->>Volunteer: Reading missing?\n  Volunteer-->>Coordinator: 7.9 degrees',
  'stateDiagram-v2\n  accDescr: A sheet is drafted, checked and archived.\n  [*] --> Drafted\n  Drafted --> Checked\n  Checked --> Archived\n  Archived --> [*]',
];

/** A technical document: 30 code blocks in five languages, 20 formulas (10 inline, 10 displayed) and 3 diagrams among prose. */
function technical(edit = '') {
  const parts = ['---', 'title: A technical document', 'lang: en', '---', ''];
  const languages = Object.keys(SNIPPETS);
  for (let index = 0; index < 30; index += 1) {
    if (index % 6 === 0) parts.push(`## Part ${index / 6 + 1}`, '');
    const formula = FORMULAS[index % FORMULAS.length];
    parts.push(`${words(index, 40)}${index < 10 ? ` With $${formula}$ in the text.` : ''}${edit}`, '');
    if (index < 10) parts.push('$$', FORMULAS[(index + 1) % FORMULAS.length], '$$', '');
    const language = languages[index % languages.length];
    parts.push(`\`\`\`${language}`, SNIPPETS[language], '```', '');
    if (index % 10 === 5) parts.push('```mermaid', DIAGRAMS[(index - 5) / 10], '```', '');
  }
  return parts.join('\n');
}

/** An mdBook of CHAPTERS chapters in parts of ten; returns its folder and its chapter files in order. */
async function writeBook(folder) {
  const src = path.join(folder, 'src');
  await mkdir(src, { recursive: true });
  await writeFile(path.join(folder, 'book.toml'), '[book]\ntitle = "A generated book"\nauthors = ["galley bench"]\nlanguage = "en"\n');
  await writeFile(path.join(src, 'chart.svg'), CHART);
  const files = [];
  const summary = ['# Summary', ''];
  for (let index = 0; index < CHAPTERS; index += 1) {
    if (index % 10 === 0) summary.push('', `# Part ${index / 10 + 1}`, '');
    const file = `ch${String(index + 1).padStart(3, '0')}.md`;
    await writeFile(path.join(src, file), chapter(index));
    summary.push(`- [Chapter ${index + 1}](${file})`);
    files.push(file);
  }
  await writeFile(path.join(src, 'SUMMARY.md'), `${summary.join('\n')}\n`);
  return { folder, src, files };
}

/** pandoc writing one Markdown file's EPUB: the peer's time, or undefined without pandoc. */
function pandocFile(file, out) {
  const started = process.hrtime.bigint();
  try {
    execFileSync('pandoc', ['-f', 'markdown', '-t', 'epub3', '-o', out, file], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** pandoc writing the same book's EPUB (from the same chapter files, in order): the peer's time, or undefined without pandoc. */
function pandocEpub(book, out) {
  const started = process.hrtime.bigint();
  try {
    execFileSync('pandoc', ['-f', 'markdown', '-t', 'epub3', '--metadata', 'title=A generated book', '-o', out, ...book.files], {
      cwd: book.src,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function wordCount(book) {
  let count = 0;
  for (const file of book.files) count += (await readFile(path.join(book.src, file), 'utf8')).split(/\s+/).filter(Boolean).length;
  return count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Memory of a process and all its descendants, from /proc (Linux): the proportional set size, so
 * that pages Chrome's processes share are counted once, not once per process.
 */
async function treeRss(pid) {
  const children = new Map();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(Number(entry), parent);
    } catch {}
  }
  let total = 0;
  const queue = [pid];
  while (queue.length) {
    const current = queue.pop();
    try {
      const rollup = await readFile(`/proc/${current}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {}
    for (const [child, parent] of children) if (parent === current) queue.push(child);
  }
  return total;
}

/** The browsers galley may print with, the headless shell first (as galley picks them). */
const BROWSERS = [
  { name: 'chromium-headless-shell', path: '/usr/bin/chromium-headless-shell', headless: '--headless' },
  { name: 'chromium', path: '/usr/bin/chromium', headless: '--headless=new' },
];

function isExecutable(file) {
  try {
    execFileSync('test', ['-x', file]);
    return true;
  } catch {
    return false;
  }
}

function whichCommand(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Wall seconds of one run of a command (synchronous: nothing else runs meanwhile). */
function timed(command, argv, { prepare, env } = {}) {
  prepare?.();
  const started = process.hrtime.bigint();
  execFileSync(command, argv, { stdio: 'ignore', env: env ?? process.env });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The browser's own floor: Chrome started, a one-line page printed to PDF, Chrome ended. */
function bareprint(browser, work) {
  const profile = path.join(work, `profile-${browser.name}`);
  const args = [browser.headless, '--no-sandbox', '--disable-gpu', `--user-data-dir=${profile}`, '--no-pdf-header-footer'];
  return timed(browser.path, [...args, `--print-to-pdf=${path.join(work, `bare-${browser.name}.pdf`)}`, 'data:text/html,<p>One line.</p>']);
}

function copyArticle(article, work) {
  execFileSync('mkdir', ['-p', path.join(work, 'md-to-pdf')]);
  execFileSync('cp', [article, path.join(work, 'md-to-pdf', 'beyond-utopia.md')]);
}

/**
 * Runs galley once; returns wall time and, when asked, the peak memory of galley and its browser.
 * Sampling memory takes CPU from the run, so timed runs do not sample.
 */
async function galley(argv, { sampleMemory = false } = {}) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [bin, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let peak = 0;
  const sampler = sampleMemory ? setInterval(async () => (peak = Math.max(peak, await treeRss(child.pid))), 50) : undefined;
  const code = await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`galley ${argv.join(' ')} exited ${code}:\n${stderr}`);
  return { seconds, peak };
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'galley-bench-'));
  try {
    const corpus = path.join(work, 'corpus');
    await mkdir(corpus);
    await writeFile(path.join(corpus, 'chart.svg'), CHART);
    for (let index = 0; index < ARTICLES; index += 1) {
      await writeFile(path.join(corpus, `article-${String(index + 1).padStart(3, '0')}.md`), article(index));
    }
    const theArticle = path.join(root, 'content', 'beyond-utopia.md');

    // The article with each browser, the two in turn; each browser's floor (a bare print of a
    // trivial page) and the bin's start (--version); md-to-pdf when it is installed.
    const browsers = BROWSERS.filter((browser) => isExecutable(browser.path));
    const cold = [];
    const coldBy = new Map(browsers.map((browser) => [browser.name, []]));
    const floorBy = new Map(browsers.map((browser) => [browser.name, []]));
    const version = [];
    const mdToPdf = [];
    const mdToPdfBin = whichCommand('md-to-pdf');
    for (let run = 0; run < Math.max(RUNS, 5); run += 1) {
      for (const browser of browsers) {
        const single = ['build', theArticle, '-o', path.join(work, `single-${browser.name}`), '--force', '--browser', browser.path];
        coldBy.get(browser.name).push((await galley(single)).seconds);
        floorBy.get(browser.name).push(bareprint(browser, work));
      }
      version.push((await galley(['--version'])).seconds);
      if (mdToPdfBin) {
        // md-to-pdf's puppeteer, given Debian's Chromium (it must not sandbox as root, like galley).
        const launch = JSON.stringify({ args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
        const argv = [path.join(work, 'md-to-pdf', 'beyond-utopia.md'), '--launch-options', launch];
        const env = { ...process.env, PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium' };
        mdToPdf.push(timed(mdToPdfBin, argv, { prepare: () => copyArticle(theArticle, work), env }));
      }
    }
    cold.push(...(coldBy.get(browsers[0]?.name) ?? []));

    // The article's EPUB alone, cold (a new output folder: no cover drawn yet), and pandoc's, in turn.
    const epubAlone = [];
    const pandocArticle = [];
    for (let run = 0; run < Math.max(RUNS, 5); run += 1) {
      const out = path.join(work, `epub-alone-${run}`);
      epubAlone.push((await galley(['build', theArticle, '-o', out, '--format', 'epub'])).seconds);
      pandocArticle.push(pandocFile(theArticle, path.join(work, 'pandoc-article.epub')));
    }

    // The batch cold (a new output folder each run, so every cover is drawn), then again with
    // --force over the same folder (every edition made again, the covers taken from the cache).
    const batchOut = (run) => path.join(work, `batch-${run}`);
    const batchArgs = ['build', corpus, '-o', path.join(work, 'out'), '--jobs', '2', '--force'];
    const batch = [];
    const batchEpub = [];
    for (let run = 0; run < RUNS; run += 1) {
      batch.push((await galley(['build', corpus, '-o', batchOut(`both-${run}`), '--jobs', '2'])).seconds);
      batchEpub.push((await galley(['build', corpus, '-o', batchOut(`epub-${run}`), '--jobs', '2', '--format', 'epub'])).seconds);
    }
    await galley(batchArgs);
    const batchForced = [];
    const batchEpubForced = [];
    for (let run = 0; run < RUNS; run += 1) {
      batchForced.push((await galley(batchArgs)).seconds);
      batchEpubForced.push((await galley([...batchArgs, '--format', 'epub'])).seconds);
    }
    const { peak } = await galley(batchArgs, { sampleMemory: true });
    // Whether memory stays flat in a long batch: the peak of batches of 10, 100 and 300 documents,
    // each size built once a round, RUNS rounds. One batch's peak moves by 40 MB or more from run
    // to run (the main thread's malloc heap), so the medians are compared.
    const peaksAt = new Map(MEMORY_BATCHES.map((count) => [count, []]));
    for (const count of MEMORY_BATCHES) {
      const folder = path.join(work, `memory-${count}`);
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'chart.svg'), CHART);
      for (let index = 0; index < count; index += 1) {
        await writeFile(path.join(folder, `article-${String(index + 1).padStart(3, '0')}.md`), article(index));
      }
    }
    for (let run = 0; run < RUNS; run += 1) {
      for (const count of MEMORY_BATCHES) {
        const args = ['build', path.join(work, `memory-${count}`), '-o', path.join(work, `memory-out-${count}`), '--jobs', '2', '--force'];
        peaksAt.get(count).push((await galley(args, { sampleMemory: true })).peak);
      }
    }
    const unchanged = [];
    for (let run = 0; run < Math.max(RUNS, 5); run += 1)
      unchanged.push((await galley(['build', corpus, '-o', path.join(work, 'out'), '--jobs', '2'])).seconds);

    const technicalFile = path.join(work, 'technical', 'technical.md');
    await mkdir(path.dirname(technicalFile), { recursive: true });
    await writeFile(technicalFile, technical());
    const technicalOut = path.join(work, 'technical-out');
    const technicalArgs = ['build', technicalFile, '-o', technicalOut];
    const technicalCold = [];
    // Cold: the output folder goes, and the diagrams' cache with it.
    for (let run = 0; run < Math.max(RUNS, 5); run += 1) {
      await rm(technicalOut, { recursive: true, force: true });
      technicalCold.push((await galley(technicalArgs)).seconds);
    }
    const technicalEdited = [];
    for (let run = 0; run < Math.max(RUNS, 5); run += 1) {
      await writeFile(technicalFile, technical(` Edit ${run}.`));
      technicalEdited.push((await galley(technicalArgs)).seconds);
    }

    const book = await writeBook(path.join(work, 'book'));
    const bookArgs = ['build', book.folder, '-o', path.join(work, 'book-out'), '--force'];
    // galley and pandoc in turn, so that both see the same machine: the ratio is taken pair by pair.
    const bookRuns = [];
    const pandocRuns = [];
    for (let run = 0; run < RUNS; run += 1) {
      bookRuns.push((await galley(bookArgs)).seconds);
      pandocRuns.push(pandocEpub(book, path.join(work, 'pandoc.epub')));
    }
    const { peak: bookPeak } = await galley(bookArgs, { sampleMemory: true });
    const bookUnchanged = (await galley(['build', book.folder, '-o', path.join(work, 'book-out')])).seconds;
    const pages = execFileSync('pdfinfo', [path.join(work, 'book-out', 'book.pdf')], { encoding: 'utf8' }).match(/^Pages:\s+(\d+)/m)?.[1];

    const chromium = (() => {
      try {
        return execFileSync('chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      } catch {
        return 'unknown browser';
      }
    })();
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const line = (label, value) => console.log(`${label.padEnd(44)} ${value}`);
    console.log(
      `galley benchmark: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${chromium}`,
    );
    console.log(`medians of ${RUNS} runs (5 for the short ones), whole process, PDF and EPUB`);
    for (const browser of browsers) {
      const floor = median(floorBy.get(browser.name));
      const article = median(coldBy.get(browser.name));
      line(`cold build of the article (${browser.name})`, `${article.toFixed(2)} s`);
      line(`  ${browser.name}'s bare print of a trivial page`, `${floor.toFixed(2)} s`);
      line('  the article / (bare print + --version)', `${(article / (floor + median(version))).toFixed(2)} ×`);
      if (mdToPdf.length) line('  the article (PDF and EPUB) / md-to-pdf (PDF)', `${(article / median(mdToPdf)).toFixed(2)} ×`);
    }
    line('galley --version', `${median(version).toFixed(2)} s`);
    if (mdToPdf.length) line('md-to-pdf, the article to PDF only', `${median(mdToPdf).toFixed(2)} s`);
    else line('md-to-pdf', 'not installed: skipped');
    if (pandocArticle.includes(undefined))
      line("the article's EPUB alone, cold", `${median(epubAlone).toFixed(2)} s (pandoc is not installed)`);
    else {
      const ratios = epubAlone.map((seconds, index) => seconds / pandocArticle[index]);
      line("the article's EPUB alone, cold", `${median(epubAlone).toFixed(2)} s`);
      line("  pandoc, the article's EPUB", `${median(pandocArticle).toFixed(2)} s`);
      line(
        '  galley / pandoc, pair by pair',
        `${median(ratios).toFixed(1)} × (${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)})`,
      );
    }
    const rate = (runs) => `${median(runs).toFixed(2)} s (${(ARTICLES / median(runs)).toFixed(1)} articles/s)`;
    line(`${ARTICLES} generated articles, --jobs 2, cold`, rate(batch));
    line('  again with --force (covers cached)', rate(batchForced));
    line(`${ARTICLES} generated articles, EPUB only, cold`, rate(batchEpub));
    line('  again with --force (covers cached)', rate(batchEpubForced));
    line(`no-change rebuild of the ${ARTICLES}`, `${median(unchanged).toFixed(2)} s`);
    line('peak memory (galley and Chrome, one more batch, PSS)', `${(peak / 2 ** 20).toFixed(0)} MB`);
    const megabytes = (bytes) => (bytes / 2 ** 20).toFixed(0);
    const peakAt = (count) => median(peaksAt.get(count));
    const growth = ((peakAt(MEMORY_BATCHES.at(-1)) / peakAt(MEMORY_BATCHES[0]) - 1) * 100).toFixed(0);
    line(
      `  peak at ${MEMORY_BATCHES.join(' / ')} documents (medians)`,
      `${MEMORY_BATCHES.map((count) => megabytes(peakAt(count))).join(' / ')} MB (${growth}% from the first to the last)`,
    );
    const spread = (count) => `${megabytes(Math.min(...peaksAt.get(count)))}–${megabytes(Math.max(...peaksAt.get(count)))}`;
    line(`  each size's ${RUNS} runs, lowest to highest`, `${MEMORY_BATCHES.map(spread).join(' / ')} MB`);
    line('technical document (30 code blocks, 20 formulas, 3 diagrams)', `${median(technicalCold).toFixed(2)} s cold`);
    line('  its rebuild after one edit (diagrams cached)', `${median(technicalEdited).toFixed(2)} s`);
    const words = await wordCount(book);
    line(`book of ${CHAPTERS} chapters, ${words} words, ${pages} pages`, `${median(bookRuns).toFixed(2)} s (PDF and EPUB)`);
    line('  its peak memory (galley and Chrome, PSS)', `${(bookPeak / 2 ** 20).toFixed(0)} MB`);
    line('  its no-change rebuild', `${bookUnchanged.toFixed(2)} s`);
    if (pandocRuns.includes(undefined)) line('  pandoc, the same book to EPUB', 'pandoc is not installed: skipped');
    else {
      const ratios = bookRuns.map((seconds, index) => seconds / pandocRuns[index]);
      line('  pandoc, the same book to EPUB only', `${median(pandocRuns).toFixed(2)} s`);
      const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
      line('  galley (both editions) / pandoc, pair by pair', `${median(ratios).toFixed(2)} × (${spread})`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
