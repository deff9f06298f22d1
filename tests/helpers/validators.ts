import { inject } from 'vitest';

/** What EPUBCheck 5 said of an EPUB: its counts, and one line per message (for the test's failure output). */
export interface EpubcheckVerdict {
  fatals: number;
  errors: number;
  warnings: number;
  output: string;
}

/** What veraPDF said of a PDF against one profile: each failed rule (clause-test) with its message. */
export interface VerapdfVerdict {
  compliant: boolean;
  failed: Record<string, string>;
}

interface EpubcheckReport {
  exitCode: number;
  report: {
    checker: { nFatal: number; nError: number; nWarning: number };
    messages: { ID: string; severity: string; message: string; locations: { path: string; line: number }[] }[];
  };
}

async function ask<T>(what: string, query: Record<string, string>): Promise<T> {
  const response = await fetch(`${inject('validators')}/${what}?${new URLSearchParams(query)}`);
  if (!response.ok) throw new Error(`${what} failed: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Runs EPUBCheck 5 (the test run's warm JVM: tests/validators). */
export async function epubcheck(file: string): Promise<EpubcheckVerdict> {
  const { report } = await ask<EpubcheckReport>('epubcheck', { file });
  const output = report.messages
    .map(
      (message) =>
        `${message.severity} ${message.ID} ${message.locations.map((at) => `${at.path}:${at.line}`).join(', ')}: ${message.message}`,
    )
    .join('\n');
  return { fatals: report.checker.nFatal, errors: report.checker.nError, warnings: report.checker.nWarning, output };
}

/** Runs veraPDF with one profile: `3u` (PDF/A-3u), `3a`, `ua1` (PDF/UA-1). */
export async function verapdf(file: string, flavour: string): Promise<VerapdfVerdict> {
  const verdict = await ask<VerapdfVerdict & { error?: string }>('verapdf', { file, flavour });
  if (verdict.error) throw new Error(`veraPDF could not check ${file}: ${verdict.error}`);
  return verdict;
}
