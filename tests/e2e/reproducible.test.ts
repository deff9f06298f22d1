import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readEpub } from '../helpers/epub.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'galley-reproducible-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.SOURCE_DATE_EPOCH;
});

async function buildTwice(source: string, label: string): Promise<[Buffer, Buffer][]> {
  const outs = [path.join(dir, `${label}-a`), path.join(dir, `${label}-b`)];
  for (const out of outs) expect((await runCli('build', source, '--out', out, '--force')).code).toBe(0);
  const name = path.basename(source, '.md');
  return Promise.all(
    ['pdf', 'epub'].map(
      async (format) =>
        [await readFile(path.join(outs[0]!, `${name}.${format}`)), await readFile(path.join(outs[1]!, `${name}.${format}`))] as [
          Buffer,
          Buffer,
        ],
    ),
  );
}

async function openPdf(file: string) {
  return getDocument({ data: new Uint8Array(await readFile(file)), isEvalSupported: false }).promise;
}

describe('reproducible editions', () => {
  it('rebuilds the article byte for byte, with its dates from the article', async () => {
    for (const [first, second] of await buildTwice('content/beyond-utopia.md', 'plain')) expect(first.equals(second)).toBe(true);
    const pdf = await openPdf(path.join(dir, 'plain-a', 'beyond-utopia.pdf'));
    const { info } = (await pdf.getMetadata()) as unknown as { info: Record<string, string> };
    expect(info.CreationDate).toMatch(/^D:20231217000000/);
    expect(info.ModDate).toMatch(/^D:20231217000000/);
  });

  it('rebuilds byte for byte with SOURCE_DATE_EPOCH, and takes every date from it', async () => {
    process.env.SOURCE_DATE_EPOCH = '1700000000'; // 2023-11-14T22:13:20Z
    for (const [first, second] of await buildTwice('content/beyond-utopia.md', 'epoch')) expect(first.equals(second)).toBe(true);
    const pdf = await openPdf(path.join(dir, 'epoch-a', 'beyond-utopia.pdf'));
    const { info, metadata } = (await pdf.getMetadata()) as unknown as {
      info: Record<string, string>;
      metadata: { get(name: string): unknown };
    };
    expect(info.CreationDate).toMatch(/^D:20231114221320/);
    expect(metadata.get('xmp:modifydate')).toBe('2023-11-14T22:13:20Z');
    const epub = await readEpub(path.join(dir, 'epoch-a', 'beyond-utopia.epub'));
    expect(epub.text.get('OEBPS/content.opf')).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
  });
});

describe('reused pages', () => {
  it('give a document the same bytes in a batch as when it is built alone', async () => {
    const batch = path.join(dir, 'batch');
    await mkdir(batch);
    await writeFile(
      path.join(batch, 'a-first.md'),
      '---\ntitle: First\npaper: a5\nlang: ko\n---\n# 첫째\n\n긴 글입니다.[^1]\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[^1]: 주석.\n',
    );
    await writeFile(path.join(batch, 'a-second.md'), '---\ntitle: Second\nlang: en\n---\n## One\n\nText.\n\n## Two\n\nMore text.\n');
    await copyFile('content/beyond-utopia.md', path.join(batch, 'beyond-utopia.md'));
    const alone = path.join(dir, 'alone-out');
    expect((await runCli('build', 'content/beyond-utopia.md', '--out', alone)).code).toBe(0);
    // One job: printed on the tab the others used before it. Three: on a tab of its own.
    for (const jobs of ['1', '3']) {
      const together = path.join(dir, `batch-out-${jobs}`);
      expect((await runCli('build', batch, '--out', together, '--jobs', jobs)).code).toBe(0);
      for (const format of ['pdf', 'epub']) {
        const [inBatch, byItself] = await Promise.all([together, alone].map((out) => readFile(path.join(out, `beyond-utopia.${format}`))));
        expect(inBatch!.equals(byItself!), `${format}, --jobs ${jobs}`).toBe(true);
      }
    }
  });
});

describe('self-describing PDF', () => {
  it('carries its Markdown source as an attachment, and XMP that matches its document information', async () => {
    const source = path.join(dir, 'edition.md');
    const text =
      '---\ntitle: "Editions & <archives>"\nauthor: [Ann Lee, Bo Kim]\ndescription: What an edition is.\nkeywords: [archives, editions]\nedition: 2\ndate: 2024-01-10\nupdated: 2024-03-01\nlang: en-GB\n---\nThe text of the second edition.\n';
    await writeFile(source, text);
    const out = path.join(dir, 'edition-out');
    expect((await runCli('build', source, '--out', out)).code).toBe(0);

    const pdf = await openPdf(path.join(out, 'edition.pdf'));
    const attachments = (await pdf.getAttachments()) as Record<string, { filename: string; content: Uint8Array }>;
    const attached = Object.values(attachments);
    expect(attached.map((file) => file.filename)).toEqual(['edition.md']);
    expect(Buffer.from(attached[0]!.content).toString('utf8')).toBe(text);

    const { info, metadata } = (await pdf.getMetadata()) as unknown as {
      info: Record<string, string>;
      metadata: { get(name: string): unknown };
    };
    expect(metadata.get('dc:title')).toBe(info.Title);
    expect(info.Title).toBe('Editions & <archives>');
    expect(metadata.get('dc:creator')).toEqual(['Ann Lee', 'Bo Kim']);
    expect(metadata.get('dc:description')).toBe(info.Subject);
    expect(metadata.get('dc:language')).toBe('en-GB');
    expect(metadata.get('dc:subject')).toEqual(['archives', 'editions']);
    expect(metadata.get('pdf:keywords')).toBe(info.Keywords);
    expect(metadata.get('xmp:creatortool')).toBe(info.Creator);
    expect(metadata.get('xmp:createdate')).toBe('2024-01-10T00:00:00Z');
    expect(metadata.get('xmp:modifydate')).toBe('2024-03-01T00:00:00Z');
    expect(metadata.get('prism:edition')).toBe('2');

    const page = await (await pdf.getPage(1)).getTextContent();
    const words = page.items
      .map((item) => ('str' in item ? item.str : ''))
      .join(' ')
      .replace(/\s+/g, ' ');
    expect(words).toContain('Edition 2');
    const epub = await readEpub(path.join(out, 'edition.epub'));
    expect(epub.text.get('OEBPS/content.opf')).toContain('<meta property="schema:bookEdition">2</meta>');
  });
});
