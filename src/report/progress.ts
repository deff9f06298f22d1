import cliProgress from 'cli-progress';
import { escapeControlCharacters } from '../errors.js';
import { describeFailure, describeSummary, describeWarning, type BuildSummary, type DocumentResult, type Reporter } from './reporter.js';

/** For a terminal: one progress bar (count, elapsed time, current document); problems print above it. */
export function progressReporter(stream: NodeJS.WriteStream): Reporter {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: '{bar} {value}/{total} documents | {duration_formatted} | {current}',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  // cli-progress draws on a timer; redraw now, so that lines logged above the bar are never lost.
  const redraw = () => bars.update();
  const log = (line: string) => {
    bars.log(`${line}\n`);
    redraw();
  };
  return {
    begin: (total) => {
      bar = bars.create(total, 0, { current: '' });
    },
    started: (source) => {
      bar?.update({ current: escapeControlCharacters(source) });
      redraw();
    },
    finished: (result: DocumentResult) => {
      if (result.status === 'failed') log(describeFailure(result));
      result.warnings.forEach((warning) => log(describeWarning(warning)));
      bar?.increment();
      redraw();
    },
    problem: log,
    end: (summary: BuildSummary) => {
      bars.stop();
      stream.write(`${describeSummary(summary)}\n`);
    },
  };
}
