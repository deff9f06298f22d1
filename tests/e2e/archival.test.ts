import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { verapdf } from '../helpers/validators.js';
import { readFile, writeFile } from 'node:fs/promises';

/** The documents whose PDFs must pass veraPDF: the article on each paper, Korean, and every kind of content. */
const DOCUMENTS = [
  { name: 'article-a4', source: 'content/beyond-utopia.md', flags: ['--paper', 'a4'] },
  { name: 'article-letter', source: 'content/beyond-utopia.md', flags: ['--paper', 'letter'] },
  { name: 'article-a5', source: 'content/beyond-utopia.md', flags: ['--paper', 'a5'] },
  { name: 'korean', source: 'tests/fixtures/print/korean.md', flags: [] },
  { name: 'features', source: 'tests/fixtures/print/features.md', flags: [] },
  { name: 'korean-chapter', source: 'tests/fixtures/wild/korean-chapter/02-memory.md', flags: [] },
] as const;

describe('archival grade: veraPDF passes every PDF as PDF/A-3a and PDF/UA-1', () => {
  let dir: string;
  const files = new Map<string, string>();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'galley-archival-'));
    for (const document of DOCUMENTS) {
      const out = path.join(dir, document.name);
      const run = await runCli('build', document.source, '--out', out, '--format', 'pdf', ...document.flags);
      expect(run.code, run.stderr).toBe(0);
      files.set(document.name, path.join(out, `${path.basename(document.source, '.md')}.pdf`));
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const document of DOCUMENTS) {
    it.each(['3a', 'ua1'])(`${document.name}: %s with no failed rule`, async (flavour) => {
      const verdict = await verapdf(files.get(document.name)!, flavour);
      expect(verdict.failed).toEqual({});
      expect(verdict.compliant).toBe(true);
    });
  }

  it('says what each PDF claims in galley verify, and claims nothing with --pdf-standard none', async () => {
    const verified = await runCli('verify', path.join(dir, 'article-a4'));
    expect(verified.lines).toContain(`ok ${files.get('article-a4')} (claims PDF/A-3a, PDF/UA-1)`);
    const out = path.join(dir, 'none');
    const plain = await runCli('build', 'content/beyond-utopia.md', '--out', out, '--format', 'pdf', '--pdf-standard', 'none');
    expect(plain.code, plain.stderr).toBe(0);
    const bytes = (await readFile(path.join(out, 'beyond-utopia.pdf'))).toString('latin1');
    expect(bytes).not.toMatch(/pdfaid:part|pdfuaid:part|\/OutputIntents/);
    expect((await runCli('verify', out)).lines).toContain(`ok ${path.join(out, 'beyond-utopia.pdf')}`);
    expect((await verapdf(path.join(out, 'beyond-utopia.pdf'), '3a')).compliant).toBe(false);
  });

  it('refuses a character no font has, naming it and its line, instead of printing an empty box', async () => {
    const file = path.join(dir, 'emoji.md');
    await writeFile(file, '---\ntitle: Symbols\nlang: en\n---\n\nA check mark \u2713 prints; an unassigned \u0378 has no font.\n');
    const run = await runCli('build', file, '--out', path.join(dir, 'emoji'), '--format', 'pdf');
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([
      `${file}:6: "\u0378" (U+0378) is in no font galley ships or this machine has: it would print as an empty box (name a font that has it in print.css)`,
    ]);
  });
});
