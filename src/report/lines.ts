import {
  describeFailure,
  describeResult,
  describeSummary,
  describeWarning,
  type BuildSummary,
  type DocumentResult,
  type Reporter,
} from './reporter.js';

/**
 * One plain line per document (for logs and pipes), warnings before it; `quiet` keeps only errors.
 * The closing summary is printed when more than one document ran, or the run was interrupted.
 */
export function lineReporter(write: (line: string) => void, { quiet = false } = {}): Reporter {
  return {
    begin: () => undefined,
    started: () => undefined,
    finished: (result: DocumentResult) => {
      if (result.status === 'failed') return write(describeFailure(result));
      if (quiet) return;
      result.warnings.forEach((warning) => write(describeWarning(warning)));
      write(describeResult(result));
    },
    problem: (line) => write(line),
    end: (summary: BuildSummary) => {
      if (quiet && !summary.interrupted) return;
      if (summary.documents.length + summary.problems.length > 1 || summary.interrupted) write(describeSummary(summary));
    },
  };
}
