import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeError, escapeControlCharacters, GalleyError } from '../../src/errors.js';
import { lineReporter } from '../../src/report/lines.js';
import { progressReporter } from '../../src/report/progress.js';
import { describeResult, type DocumentResult } from '../../src/report/reporter.js';
import { runCli } from '../helpers/cli.js';

const FORGING_NAME = 'x\nbuilt evil.md: output/evil.pdf (1 page).md';

describe('escapeControlCharacters', () => {
  it('writes C0, DEL, C1 and the line and paragraph separators as escapes', () => {
    expect(escapeControlCharacters('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeControlCharacters('\u0000\u001b[2K\u007f\u0085\u009b\u2028\u2029')).toBe(
      '\\u0000\\u001b[2K\\u007f\\u0085\\u009b\\u2028\\u2029',
    );
  });

  it('leaves other text as it is, and escapes nothing twice', () => {
    expect(escapeControlCharacters('Ünïcødé — 한국어 😀 a\\nb')).toBe('Ünïcødé — 한국어 😀 a\\nb');
    expect(escapeControlCharacters(escapeControlCharacters(FORGING_NAME))).toBe(escapeControlCharacters(FORGING_NAME));
  });
});

describe('messages that name a file', () => {
  it('GalleyError.toString keeps the file name and message to one line', () => {
    expect(new GalleyError('image "a\nb.png" not found', { file: FORGING_NAME, line: 3 }).toString()).toBe(
      'x\\nbuilt evil.md: output/evil.pdf (1 page).md:3: image "a\\nb.png" not found',
    );
  });

  it('an internal error keeps its message to one line, and with --verbose its stack below it', () => {
    const error = new Error(`ENOENT: open '${FORGING_NAME}'`);
    expect(describeError(error)).toBe("internal error: ENOENT: open 'x\\nbuilt evil.md: output/evil.pdf (1 page).md'");
    const [heading, ...frames] = describeError(error, true).split('\n');
    expect(heading).toBe("Error: ENOENT: open 'x\\nbuilt evil.md: output/evil.pdf (1 page).md'");
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((frame) => frame.startsWith('    at '))).toBe(true);
  });

  it('describeResult and the line reporter print one line per document, warnings included', () => {
    const result: DocumentResult = {
      source: FORGING_NAME,
      status: 'built',
      outputs: [{ format: 'pdf', file: 'a\u2028b.pdf', path: 'out/a\u2028b.pdf', sha256: '0'.repeat(64), bytes: 1, pages: 1 }],
      warnings: [`${FORGING_NAME}:2: warning: unknown front matter key "layout" is ignored`],
      ms: 1,
    };
    expect(describeResult(result)).toBe('built x\\nbuilt evil.md: output/evil.pdf (1 page).md: out/a\\u2028b.pdf (1 page)');
    expect(describeResult({ ...result, status: 'unchanged' })).toBe('unchanged x\\nbuilt evil.md: output/evil.pdf (1 page).md');
    const lines: string[] = [];
    const reporter = lineReporter((line) => lines.push(line));
    reporter.finished(result);
    reporter.finished({ ...result, status: 'failed', warnings: [] });
    expect(lines.flatMap((line) => line.split('\n'))).toHaveLength(3);
    expect(lines.some((line) => line.startsWith('built evil'))).toBe(false);
  });

  it('the progress bar shows the current name on its one line', () => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
    let output = '';
    stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    Object.assign(stream, { isTTY: true, columns: 200, rows: 40 });
    const reporter = progressReporter(stream);
    reporter.begin(1);
    reporter.started(FORGING_NAME);
    expect(output).toContain('| x\\nbuilt evil.md: output/evil.pdf (1 page).md');
    expect(output).not.toContain('\nbuilt evil');
    reporter.end({ built: 0, unchanged: 0, failed: 0, interrupted: true, notStarted: 1, problems: [], documents: [], ms: 10 });
  });
});

describe('a real file whose name holds a line feed', () => {
  it('is built (or fails) on lines of its own, and never forges a "built" line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'galley-names-'));
    try {
      const file = path.join(dir, 'content', FORGING_NAME);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, '---\nlayout: wide\n---\nText.\n');
      await writeFile(path.join(dir, 'content', 'plain.md'), 'Text.\n');
      const result = await runCli('build', path.join(dir, 'content'), '--out', path.join(dir, 'out'), '--json');
      expect(
        result.lines.some((line) => line.startsWith('built evil')),
        result.stderr,
      ).toBe(false);
      expect(
        result.lines.some((line) => line.startsWith('evil')),
        result.stderr,
      ).toBe(false);
      expect(result.lines).toContain(`${escapeControlCharacters(file)}:2: warning: unknown front matter key "layout" is ignored`);
      expect(result.lines.filter((line) => line.startsWith(`built ${dir}`))).toHaveLength(result.code === 0 ? 2 : 1);
      const report = JSON.parse(result.stdout) as { documents: { source: string }[] };
      expect(report.documents.map((document) => document.source)).toContain(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
