import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { readEpub, type EpubReadBack } from '../helpers/epub.js';
import { readPdf, readStructure } from '../helpers/pdf.js';
import { popplerPages } from '../helpers/poppler.js';

const SHELL = '/usr/bin/chromium-headless-shell';
const FULL = '/usr/bin/chromium';
const ARTICLE = 'content/beyond-utopia.md';

/** The set-up installs both of Debian's builds: what the headless shell changes must be nothing a reader sees. */
describe("Chrome's headless shell against the full Chromium", () => {
  let out: string;
  const built: Record<'shell' | 'full', { pdf: string; epub: EpubReadBack; browser: string }> = {} as never;

  beforeAll(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'galley-browsers-'));
    for (const [name, browser] of [
      ['shell', SHELL],
      ['full', FULL],
    ] as const) {
      const run = await runCli('build', ARTICLE, '--out', path.join(out, name), '--browser', browser, '--json', '--quiet');
      expect(run.code, run.stderr).toBe(0);
      const pdf = path.join(out, name, 'beyond-utopia.pdf');
      built[name] = { pdf, epub: await readEpub(path.join(out, name, 'beyond-utopia.epub')), browser: JSON.parse(run.stdout).browser };
    }
  });
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('says which browser printed', () => {
    expect(built.shell.browser).toMatch(/^Chrome \d+[\d.]+ \(headless shell\), \/usr\/bin\/chromium-headless-shell$/);
    expect(built.full.browser).toMatch(/^Chrome \d+[\d.]+, \/usr\/bin\/chromium$/);
  });

  it('prints the same PDF: text, page sizes, fonts, tags, outline and margin boxes', async () => {
    const [shell, full] = [await readPdf(built.shell.pdf), await readPdf(built.full.pdf)];
    expect(shell.pageSizes).toEqual(full.pageSizes);
    expect(shell.fonts).toEqual(full.fonts);
    expect(shell.outline).toEqual(full.outline);
    expect(await popplerPages(built.shell.pdf)).toEqual(await popplerPages(built.full.pdf));
    expect(await readStructure(built.shell.pdf)).toEqual(await readStructure(built.full.pdf));
    // The footer's "N of M", set in a margin box, is on every page.
    for (const [index, page] of (await popplerPages(built.shell.pdf)).entries()) expect(page).toContain(`${index + 1} of `);
  });

  it('makes the same EPUB, cover included: no browser draws it', () => {
    const { shell, full } = { shell: built.shell.epub, full: built.full.epub };
    expect(shell.entries).toEqual(full.entries);
    for (const [entry, text] of shell.text) expect(text, entry).toBe(full.text.get(entry));
    for (const [entry, bytes] of shell.bytes) expect(bytes, entry).toEqual(full.bytes.get(entry));
  });
});
