import type { BuildSummary, Reporter } from './reporter.js';

/** --json: the whole report on stdout when the run ends, for scripts. */
export function jsonReporter(write: (text: string) => void): Reporter {
  return {
    begin: () => undefined,
    started: () => undefined,
    finished: () => undefined,
    problem: () => undefined,
    end: (summary: BuildSummary) => {
      const { documents, ...totals } = summary;
      write(`${JSON.stringify({ ...totals, documents }, null, 2)}\n`);
    },
  };
}
