import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { greyPng } from '../helpers/fixtures.js';

/** A 2 KB SVG whose ten levels of ten <use> each would draw ten billion circles. */
function useBomb(): string {
  const levels = ['<circle id="l0" r="1"/>'];
  for (let level = 1; level <= 10; level += 1) {
    const uses = Array.from({ length: 10 }, () => `<use href="#l${level - 1}"/>`).join('');
    levels.push(`<g id="l${level}">${uses}</g>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>${levels.join('')}</defs><use href="#l10"/></svg>`;
}

/** A small SVG that asks Chrome for twelve nested blurs and dilations of a 16,000-pixel square. */
function filterBomb(): string {
  const filters = Array.from(
    { length: 12 },
    (_, index) => `<filter id="f${index}"><feGaussianBlur stdDeviation="300"/><feMorphology operator="dilate" radius="300"/></filter>`,
  );
  let groups = '<rect width="16000" height="16000" fill="red"/>';
  for (let index = 0; index < 12; index += 1) groups = `<g filter="url(#f${index})">${groups}</g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="16000" height="16000"><defs>${filters.join('')}</defs>${groups}</svg>`;
}

const page = (title: string, image: string) =>
  `---\ntitle: ${title}\nlang: en\n---\n\nBefore the picture.\n\n![${title}](${image})\n\nAfter the picture.\n`;

describe('bombs fail alone, within the limits, and the next document builds', () => {
  let dir: string;
  let run: CliRun;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-bombs-'));
    await writeFile(path.join(dir, 'use-bomb.svg'), useBomb());
    await writeFile(path.join(dir, 'filter-bomb.svg'), filterBomb());
    await writeFile(path.join(dir, 'huge.png'), greyPng(9000, 9000));
    await writeFile(path.join(dir, 'a-use.md'), page('Use bomb', 'use-bomb.svg'));
    await writeFile(path.join(dir, 'b-filter.md'), page('Filter bomb', 'filter-bomb.svg'));
    await writeFile(path.join(dir, 'c-huge.md'), page('Huge image', 'huge.png'));
    await writeFile(path.join(dir, 'd-good.md'), '---\ntitle: Good\nlang: en\n---\n\nAn ordinary page.\n');
    run = await runCli(
      'build',
      dir,
      '--out',
      path.join(dir, 'out'),
      '--format',
      'pdf',
      '--timeout',
      '8',
      '--max-page-memory',
      '300',
      '--jobs',
      '2',
    );
  }, 120_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses the <use> bomb before any browser sees it', () => {
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${path.join(dir, 'a-use.md')}:8: image "use-bomb\\.svg" \\(its line 1\\): the <use> references (are nested|expand)`),
      ),
    );
  });

  it('stops the filter bomb at the time limit and the huge image at the memory limit, one line each', () => {
    expect(run.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^${path.join(dir, 'b-filter.md')}: (timed out after 8 s|the page used more than 300 MB)`)),
    );
    expect(run.lines).toContain(`${path.join(dir, 'c-huge.md')}: the page used more than 300 MB of memory and was stopped`);
  });

  it('builds the good document, and writes nothing for the others', async () => {
    expect(run.code).toBe(1);
    expect(run.lines.at(-1)).toMatch(/^1 built, 3 failed in /);
    expect((await readdir(path.join(dir, 'out'))).sort()).toEqual(['d-good.manifest.json', 'd-good.pdf']);
  });

  it('does not pack the <use> bomb into an EPUB either', async () => {
    const epub = await runCli('build', path.join(dir, 'a-use.md'), '--out', path.join(dir, 'epub'), '--format', 'epub');
    expect(epub.code).toBe(1);
    expect(epub.lines[0]).toMatch(/a-use\.md:8: image "use-bomb\.svg" \(its line 1\): the <use> references/);
  });
});
