import { escapeControlCharacters } from '../errors.js';
import type { OutputRecord } from '../output/manifest.js';

export interface DocumentResult {
  source: string;
  status: 'built' | 'unchanged' | 'failed';
  /** Paths are inside --out; counts are pages (PDF) or chapters (EPUB). */
  outputs: (OutputRecord & { path: string })[];
  /** Each `file:line: message`. */
  warnings: string[];
  /** One line, `file:line: message`. */
  error?: string;
  ms: number;
}

export interface BuildSummary {
  built: number;
  unchanged: number;
  failed: number;
  /** Stopped by Ctrl-C (or SIGTERM) before every document was built. */
  interrupted: boolean;
  notStarted: number;
  /** Problems that belong to no document: a missing path, a broken template. */
  problems: string[];
  documents: DocumentResult[];
  ms: number;
  /** The browser the run printed with, when it started one (or connected to one); the browsers, for a pool. */
  browser?: string | undefined;
  /** The --browser-ws browsers dropped during the run, because they could not be reached or went away. */
  browsersDropped?: string[] | undefined;
}

/** Where a build tells what happens. Stderr is for people; only --json writes to stdout. */
export interface Reporter {
  begin(total: number): void;
  started(source: string): void;
  finished(result: DocumentResult): void;
  problem(line: string): void;
  end(summary: BuildSummary): void;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `built a.md: out/a.pdf (3 pages), out/a.epub (4 chapters)`, or `unchanged a.md`; file names kept to one line. */
export function describeResult(result: DocumentResult): string {
  const source = escapeControlCharacters(result.source);
  if (result.status === 'unchanged') return `unchanged ${source}`;
  const outputs = result.outputs.map((output) => {
    const count = output.pages !== undefined ? plural(output.pages, 'page') : plural(output.chapters ?? 0, 'chapter');
    return `${escapeControlCharacters(output.path)} (${count})`;
  });
  return `built ${source}: ${outputs.join(', ')}`;
}

/** The line of a failed document: its error, already one line (or a stack, with --verbose). */
export function describeFailure(result: DocumentResult): string {
  return result.error ?? `${escapeControlCharacters(result.source)}: failed`;
}

/** A warning (`file:line: warning: …`) as one line, whatever the file name holds. */
export function describeWarning(warning: string): string {
  return escapeControlCharacters(warning);
}

/** `3 built, 1 unchanged, 0 failed in 2.1 s`; after Ctrl-C, `interrupted: …, 5 not started`. */
export function describeSummary(summary: BuildSummary): string {
  const parts = [`${summary.built} built`, ...(summary.unchanged ? [`${summary.unchanged} unchanged`] : []), `${summary.failed} failed`];
  if (summary.interrupted) parts.push(`${summary.notStarted} not started`);
  return `${summary.interrupted ? 'interrupted: ' : ''}${parts.join(', ')} in ${(summary.ms / 1000).toFixed(1)} s`;
}

/** Several reporters as one. */
export function allOf(...reporters: Reporter[]): Reporter {
  return {
    begin: (total) => reporters.forEach((reporter) => reporter.begin(total)),
    started: (source) => reporters.forEach((reporter) => reporter.started(source)),
    finished: (result) => reporters.forEach((reporter) => reporter.finished(result)),
    problem: (line) => reporters.forEach((reporter) => reporter.problem(line)),
    end: (summary) => reporters.forEach((reporter) => reporter.end(summary)),
  };
}
