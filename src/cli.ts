import { Command, CommanderError } from 'commander';
import { jsonReporter } from './report/json.js';
import { lineReporter } from './report/lines.js';
import { allOf, type Reporter } from './report/reporter.js';
import { describeError } from './errors.js';
import { startRun } from './run-start.js';
import { PAPER_SIZES, PDF_STANDARDS } from './settings/choices.js';
import { DEFAULT_SPLIT_LEVEL, DEFAULTS } from './settings/defaults.js';
import { FLAG_DEFAULTS, readBuildFlags, type BuildFlags, type ReadFlags } from './settings/flags-schema.js';
import { mark, timeline } from './report/trace.js';
import { allowHeapBound } from './heap-growth.js';
import { GALLEY_VERSION } from './version.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The terminal behind stderr, when there is one: it gets a progress bar. */
  terminal?: NodeJS.WriteStream | undefined;
}

const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  terminal: process.stderr.isTTY ? process.stderr : undefined,
};

/** The shell's code for a run ended by Ctrl-C. */
const INTERRUPTED = 130;

/** The whole CLI, in-process: returns the exit code (0 all built, 1 a document failed, 2 usage, 130 Ctrl-C). */
export async function main(argv: string[], io: Io = processIo, stop: AbortSignal = interruptSignal()): Promise<number> {
  mark('galley loaded');
  let exitCode = 0;
  // A closed terminal (SIGHUP) makes writes fail with EIO: the run still ends as it should, unheard.
  if (io === processIo) for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  const program = new Command('galley')
    .description('Publish Markdown articles as a print PDF and an EPUB 3.')
    .version(GALLEY_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const fail = (message: string): never => program.error(`error: ${message}`, { exitCode: 2 });

  addBuildOptions(program.command('build').description('build Markdown files or folders into PDF and EPUB')).action(
    async (paths: string[], flags: BuildFlags) => {
      const read = readFlags(paths, flags, fail);
      if (io === processIo) allowHeapBound();
      // The browser is started before the modules that build are loaded, and starts up meanwhile.
      const start = await startRun(read.options);
      const [{ build }, reporter] = await Promise.all([import('./build.js'), chooseReporter(read, io)]);
      mark('build modules loaded');
      const summary = await build(read.options, reporter, stop, start);
      exitCode = summary.interrupted ? INTERRUPTED : summary.failed > 0 ? 1 : 0;
    },
  );
  addBuildOptions(program.command('watch').description('build, then rebuild what changes, with the browser kept warm')).action(
    async (paths: string[], flags: BuildFlags) => {
      const read = readFlags(paths, flags, fail);
      const { watch } = await import('./watch.js');
      const summary = await watch(read.options, await chooseReporter(read, { ...io, terminal: undefined }), stop);
      exitCode = summary.interrupted ? INTERRUPTED : summary.failed > 0 ? 1 : 0;
    },
  );

  program
    .command('verify')
    .description('check the outputs in output folders (and their archives) against their manifests')
    .argument('[out...]', 'output folders (those of several shards, say)', [DEFAULTS.verifyDir])
    .action(async (outDirs: string[]) => {
      const { verify } = await import('./verify.js');
      let [checked, failed, unreadable] = [0, 0, 0];
      for (const outDir of outDirs) {
        try {
          const result = await verify(outDir);
          result.lines.forEach((line) => io.stderr(`${line}\n`));
          [checked, failed] = [checked + result.checked, failed + result.failed];
        } catch (error) {
          io.stderr(`${describeError(error)}\n`);
          unreadable += 1;
        }
      }
      // A folder that cannot be verified is its own line; the count is of the files that could be.
      if (unreadable < outDirs.length) io.stderr(`${checked - failed} of ${checked} files match their manifests\n`);
      exitCode = failed + unreadable > 0 ? 1 : 0;
    });

  try {
    await program.parseAsync(argv);
    timeline().forEach((line) => io.stderr(`${line}\n`));
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

function addBuildOptions(command: Command): Command {
  return command
    .argument('[paths...]', 'Markdown files or folders', [...FLAG_DEFAULTS.paths])
    .option('-o, --out <dir>', 'output folder', FLAG_DEFAULTS.out)
    .option('-f, --format <list>', 'formats to build: pdf, epub or pdf,epub', FLAG_DEFAULTS.format)
    .option('--paper <size>', `paper for the PDF: ${PAPER_SIZES.join(', ')} (wins over front matter; default ${DEFAULTS.paper})`)
    .option(
      '--pdf-standard <name>',
      `what the PDF meets and claims: ${PDF_STANDARDS.join(' or ')} (default ${DEFAULTS.pdfStandard}, with PDF/UA-1)`,
    )
    .option('--split-level <n>', `start an EPUB chapter at each heading of this level or above (default ${DEFAULT_SPLIT_LEVEL})`)
    .option('--templates <dir>', 'a folder of your own templates (files it lacks come from galley)')
    .option('-j, --jobs <n>', 'documents built at the same time (default: the number of CPUs)')
    .option('--force', 'rebuild documents that are up to date', false)
    .option('--replace-archived', 'replace an archived edition that holds other contents (with --archive)', false)
    .option('--archive', 'also keep each edition in <out>/archive/<name>/<edition>/', false)
    .option('--browser <path>', 'the Chrome or Chromium to print with')
    .option(
      '--browser-ws <url>',
      'connect to a running Chrome (its DevTools WebSocket URL) instead of launching one; give it again for each of a pool of browsers',
      (url: string, earlier: string[] = []) => [...earlier, url],
    )
    .option('--shard <i/n>', 'build only the i-th of n disjoint parts of the documents (one per machine or CI job)')
    .option('--timeout <seconds>', 'time limit for each document', FLAG_DEFAULTS.timeout)
    .option('--max-document-size <MB>', 'largest Markdown file read', FLAG_DEFAULTS.maxDocumentSize)
    .option('--max-image-size <MB>', 'largest image read or downloaded', FLAG_DEFAULTS.maxImageSize)
    .option('--max-page-memory <MB>', 'memory a browser page may use before its document is stopped', FLAG_DEFAULTS.maxPageMemory)
    .option('--allow-remote', 'fetch http(s) images and styles (never from local or private addresses)', false)
    .option('--link-base <url>', 'turn relative links to files outside the edition into links under this http(s) address')
    .option('-q, --quiet', 'print nothing but errors', false)
    .option('--json', 'print a report of the run on stdout, as JSON', false)
    .option('--verbose', 'show the stack of unexpected errors', false);
}

/** The flags checked against their schema; a wrong one is a usage error (exit 2). */
function readFlags(paths: string[], flags: BuildFlags, fail: (message: string) => never): ReadFlags {
  const read = readBuildFlags({ ...flags, paths });
  return 'usageError' in read ? fail(read.usageError) : read;
}

/** Stderr gets a progress bar on a terminal (not while watching), else plain lines; --json adds the report on stdout. */
async function chooseReporter(flags: Pick<ReadFlags, 'quiet' | 'json'>, io: Io): Promise<Reporter> {
  const forPeople =
    io.terminal && !flags.quiet
      ? (await import('./report/progress.js')).progressReporter(io.terminal)
      : lineReporter((line) => io.stderr(`${line}\n`), { quiet: flags.quiet });
  return flags.json ? allOf(forPeople, jsonReporter(io.stdout)) : forPeople;
}

/**
 * Aborted on the first Ctrl-C, SIGTERM or SIGHUP (a closed terminal or SSH session); a second one
 * ends the process at once (the browser, on its pipe, and the run's reaper end with it).
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    controller.abort();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  return controller.signal;
}
