import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIAGRAM_CACHE_DIR } from '../../src/output/paths.js';
import { runCli } from '../helpers/cli.js';
import { readEpub } from '../helpers/epub.js';
import { popplerPages } from '../helpers/poppler.js';

let dir: string;
let out: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-diagrams-'));
  out = path.join(dir, 'out');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

const FRONT = '---\ntitle: Sheets\nlang: en\n---\n\nThe sheets go from the river bank to the archive, checked on the way.\n\n';
const FLOW = '```mermaid\nflowchart LR\n  accDescr: A sheet is checked, then archived.\n  sheet[Field sheet] --> archive[Archive]\n```\n';

async function pdfText(file: string): Promise<string> {
  return (await popplerPages(file)).join('\n');
}

describe('mermaid diagrams', () => {
  it('fails a document whose diagram mermaid cannot read with its file and line, and still builds the others', async () => {
    const good = await write('good.md', `${FRONT}${FLOW}`);
    // The fence opens on line 10; the bad edge is the diagram's third line, the file's 13th.
    const bad = await write('bad.md', `${FRONT}Two steps:\n\n\`\`\`mermaid\nflowchart LR\n  A --> B\n  B --> --> C\n\`\`\`\n`);
    const run = await runCli('build', good, bad, '--out', out);
    expect(run.code).toBe(1);
    expect(run.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${bad}:13: mermaid cannot draw this diagram: Expecting .*got 'LINK'$`)),
    );
    expect(run.lines.filter((line) => line.includes('bad.md'))).toHaveLength(1);
    expect(await exists(path.join(out, 'good.pdf'))).toBe(true);
    expect(await exists(path.join(out, 'bad.pdf'))).toBe(false);
    expect(await exists(path.join(out, 'bad.epub'))).toBe(false);
  });

  it("names a book chapter's own file and line for a diagram that does not parse", async () => {
    await write('book/book.yaml', 'title: Field notes\nlang: en\nchapters:\n  - one.md\n  - two.md\n');
    await write('book/one.md', `# One\n\nThe first chapter holds a good diagram.\n\n${FLOW}`);
    await write('book/two.md', '# Two\n\nThe second chapter holds a bad one.\n\n```mermaid\nsequenceDiagram\n  Alice->>: nobody\n```\n');
    const run = await runCli('build', path.join(dir, 'book'), '--out', out);
    expect(run.code).toBe(1);
    expect(run.lines[0]).toMatch(new RegExp(`^${path.join(dir, 'book', 'two.md')}:7: mermaid cannot draw this diagram: `));
  });

  it('refuses a diagram longer than mermaid draws at once, and bounds a 10,000-node one by --timeout', async () => {
    const long = `flowchart TB\n${Array.from({ length: 6000 }, (_, i) => `  n${i}[Step ${i}]`).join('\n')}\n`;
    const tooLong = await write('long.md', `${FRONT}\`\`\`mermaid\n${long}\`\`\`\n`);
    const nodes = letterIds(10_000);
    const wide = await write('wide.md', `${FRONT}\`\`\`mermaid\nflowchart TB\n${nodes.join('\n')}\n\`\`\`\n`);
    const began = Date.now();
    // That documents beside a failing one still build is the first test's: a good one built beside
    // this 10,000-node layout, on a slow machine under the suite's load, ran out of its own 8 s too.
    const run = await runCli('build', tooLong, wide, '--out', out, '--timeout', '8', '--jobs', '2');
    expect(Date.now() - began).toBeLessThan(40_000);
    expect(run.code).toBe(1);
    const size = `${long.length.toLocaleString('en')}`;
    expect(run.lines).toContainEqual(`${tooLong}:8: this diagram has ${size} characters: mermaid draws diagrams of up to 50,000`);
    expect(run.lines).toContainEqual(`${wide}: timed out after 8 s (raise the limit with --timeout)`);
    expect(await exists(path.join(out, 'wide.pdf'))).toBe(false);
  });

  it('draws an unchanged diagram once: a text edit takes it from the cache, which is sanitized again on use', async () => {
    const file = await write('sheets.md', `${FRONT}${FLOW}`);
    expect((await runCli('build', file, '--out', out)).code).toBe(0);
    expect(await pdfText(path.join(out, 'sheets.pdf'))).toContain('Field sheet');
    const cacheDir = path.join(out, DIAGRAM_CACHE_DIR);
    const [entry] = await readdir(cacheDir);
    const cached = JSON.parse(await readFile(path.join(cacheDir, entry!), 'utf8')) as { svg: string };
    // What the cache holds is what the next build shows: a label only the cache knows, and a script it must not keep.
    cached.svg = cached.svg.replace('>Archive<', '>Cached<').replace('</svg>', '<script>alert(1)</script></svg>');
    await writeFile(path.join(cacheDir, entry!), JSON.stringify(cached));

    await writeFile(file, `${FRONT}${FLOW}\nA paragraph added after the diagram.\n`);
    expect((await runCli('build', file, '--out', out)).code).toBe(0);
    expect(await pdfText(path.join(out, 'sheets.pdf'))).toContain('Cached');
    const epub = await readEpub(path.join(out, 'sheets.epub'));
    const svg = [...epub.text].find(([name]) => name.endsWith('.svg'))![1];
    expect(svg).toContain('>Cached<');
    expect(svg).not.toContain('<script');

    await writeFile(file, `${FRONT}${FLOW.replace('Archive]', 'Archive shelf]')}`);
    expect((await runCli('build', file, '--out', out)).code).toBe(0);
    const redrawn = await pdfText(path.join(out, 'sheets.pdf'));
    expect(redrawn).toContain('Archive shelf');
    expect(redrawn).toContain('Field sheet');
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it('keeps what a diagram says as text: no script or link comes out of its labels, and it loads nothing', async () => {
    const file = await write(
      'hostile.md',
      `${FRONT}\`\`\`mermaid {title="Hostile labels"}\nflowchart LR\n  A["<img src=x onerror=alert(1)>"] --> B["<script>alert(2)</script>"]\n  click A href "javascript:alert(3)"\n\`\`\`\n`,
    );
    const run = await runCli('build', file, '--out', out);
    expect(run.code, run.lines.join('\n')).toBe(0);
    const epub = await readEpub(path.join(out, 'hostile.epub'));
    const svg = [...epub.text].find(([name]) => name.endsWith('.svg'))![1];
    expect(svg).not.toMatch(/<script|<img|<foreignObject|\son[a-z]+=|javascript:/i);
    expect(await pdfText(path.join(out, 'hostile.pdf'))).toContain('Hostile labels');

    const tracked = await write(
      'tracked.md',
      `${FRONT}\`\`\`mermaid\nflowchart LR\n  A --> C\n  C@{ img: "https://example.com/tracker.png", label: "Tracked", pos: "t", w: 60, h: 60 }\n\`\`\`\n`,
    );
    const refused = await runCli('build', tracked, '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.lines[0]).toBe(
      `${tracked}:8: the diagram loads https://example.com/tracker.png: galley draws diagrams without the network or files, so give the picture as an image of the document`,
    );

    // The page that draws is a file, and mermaid's bundle is let through while it loads: a local
    // file, the bundle's own included, is refused to a diagram all the same.
    const bundle = pathToFileURL(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js')).href;
    for (const picture of [pathToFileURL(tracked).href, bundle]) {
      const local = await write(
        'local.md',
        `${FRONT}\`\`\`mermaid\nflowchart LR\n  A --> C\n  C@{ img: "${picture}", label: "Local", pos: "t", w: 60, h: 60 }\n\`\`\`\n`,
      );
      const run = await runCli('build', local, '--out', out);
      expect(run.code, run.lines.join('\n')).toBe(1);
      expect(run.lines[0]).toMatch(
        new RegExp(`^${local}:8: the diagram loads file:///.*: galley draws diagrams without the network or files`),
      );
      expect(await exists(path.join(out, 'local.pdf'))).toBe(false);
    }
  });
});

/** 10,000 node ids of letters, none of them one of mermaid's keywords. */
function letterIds(count: number): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const ids: string[] = [];
  for (const a of letters) for (const b of letters) for (const c of letters) if (a + b + c !== 'end') ids.push(a + b + c);
  return ids.slice(0, count);
}
