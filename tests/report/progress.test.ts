import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/report/progress.js';
import type { DocumentResult } from '../../src/report/reporter.js';

function fakeTerminal(): { stream: NodeJS.WriteStream; output: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
  let output = '';
  stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  Object.assign(stream, { isTTY: true, columns: 120, rows: 40 });
  return { stream, output: () => output };
}

const built = (source: string): DocumentResult => ({ source, status: 'built', outputs: [], warnings: [], ms: 5 });

describe('progressReporter', () => {
  it('draws a bar with the count and the current document, prints problems above it, and ends with the summary', () => {
    const { stream, output } = fakeTerminal();
    const reporter = progressReporter(stream);
    reporter.begin(2);
    reporter.started('a.md');
    reporter.finished(built('a.md'));
    reporter.started('b.md');
    reporter.finished({ source: 'b.md', status: 'failed', outputs: [], warnings: [], error: 'b.md:3: image "x.png" not found', ms: 3 });
    reporter.end({ built: 1, unchanged: 0, failed: 1, interrupted: false, notStarted: 0, problems: [], documents: [], ms: 1234 });
    const text = output();
    expect(text).toMatch(/1\/2 documents \| \S+ \| b\.md/);
    expect(text).toContain('b.md:3: image "x.png" not found\n');
    expect(text.endsWith('1 built, 1 failed in 1.2 s\n')).toBe(true);
  });
});
