import os from 'node:os';
import { Command, CommanderError } from 'commander';
import { build } from './build.js';
import { isPublicAddress } from './net/guarded-fetch.js';
import { isPaper, PAPER_SIZES, parseFormats, type BuildOptions, type Paper } from './options.js';
import { jsonReporter } from './report/json.js';
import { lineReporter } from './report/lines.js';
import { allOf, type Reporter } from './report/reporter.js';
import { describeError } from './errors.js';
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

const MEGABYTE = 1024 * 1024;
const REMOTE_TIMEOUT_MS = 20_000;
/** The shell's code for a run ended by Ctrl-C. */
const INTERRUPTED = 130;

interface BuildFlags {
  out: string;
  format: string;
  templates?: string;
  browser?: string;
  browserWs?: string;
  paper?: string;
  splitLevel?: string;
  timeout: string;
  maxDocumentSize: string;
  maxImageSize: string;
  maxPageMemory: string;
  allowRemote: boolean;
  linkBase?: string;
  jobs?: string;
  force: boolean;
  archive: boolean;
  quiet: boolean;
  json: boolean;
  verbose: boolean;
}

/** The whole CLI, in-process: returns the exit code (0 all built, 1 a document failed, 2 usage, 130 Ctrl-C). */
export async function main(argv: string[], io: Io = processIo, stop: AbortSignal = interruptSignal()): Promise<number> {
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
      const options = toBuildOptions(paths, flags, fail);
      const summary = await build(options, await chooseReporter(flags, io), stop);
      exitCode = summary.interrupted ? INTERRUPTED : summary.failed > 0 ? 1 : 0;
    },
  );
  addBuildOptions(program.command('watch').description('build, then rebuild what changes, with the browser kept warm')).action(
    async (paths: string[], flags: BuildFlags) => {
      const options = toBuildOptions(paths, flags, fail);
      const { watch } = await import('./watch.js');
      const summary = await watch(options, await chooseReporter(flags, { ...io, terminal: undefined }), stop);
      exitCode = summary.interrupted ? INTERRUPTED : summary.failed > 0 ? 1 : 0;
    },
  );

  program
    .command('verify')
    .description('check the outputs in a folder (and its archive) against their manifests')
    .argument('[out]', 'the output folder', 'output')
    .action(async (outDir: string) => {
      try {
        const { verify } = await import('./verify.js');
        const result = await verify(outDir);
        result.lines.forEach((line) => io.stderr(`${line}\n`));
        io.stderr(`${result.checked - result.failed} of ${result.checked} files match their manifests\n`);
        exitCode = result.failed > 0 ? 1 : 0;
      } catch (error) {
        io.stderr(`${describeError(error)}\n`);
        exitCode = 1;
      }
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}

function addBuildOptions(command: Command): Command {
  return command
    .argument('[paths...]', 'Markdown files or folders', ['content'])
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('-f, --format <list>', 'formats to build: pdf, epub or pdf,epub', 'pdf,epub')
    .option('--paper <size>', `paper for the PDF: ${PAPER_SIZES.join(', ')} (wins over front matter; default a4)`)
    .option('--split-level <n>', 'start an EPUB chapter at each heading of this level or above (default 2)')
    .option('--templates <dir>', 'a folder of your own templates (files it lacks come from galley)')
    .option('-j, --jobs <n>', 'documents built at the same time (default: the number of CPUs)')
    .option('--force', 'rebuild documents that are up to date (and replace a different archived edition)', false)
    .option('--archive', 'also keep each edition in <out>/archive/<name>/<edition>/', false)
    .option('--browser <path>', 'the Chrome or Chromium to print with')
    .option('--browser-ws <url>', 'connect to a running Chrome (its DevTools WebSocket URL) instead of launching one')
    .option('--timeout <seconds>', 'time limit for each document', '60')
    .option('--max-document-size <MB>', 'largest Markdown file read', '10')
    .option('--max-image-size <MB>', 'largest image read or downloaded', '50')
    .option('--max-page-memory <MB>', 'memory a browser page may use before its document is stopped', '2048')
    .option('--allow-remote', 'fetch http(s) images and styles (never from local or private addresses)', false)
    .option('--link-base <url>', 'turn relative links to files outside the edition into links under this http(s) address')
    .option('-q, --quiet', 'print nothing but errors', false)
    .option('--json', 'print a report of the run on stdout, as JSON', false)
    .option('--verbose', 'show the stack of unexpected errors', false);
}

function toBuildOptions(paths: string[], flags: BuildFlags, fail: (message: string) => never): BuildOptions {
  const formats = parseFormats(flags.format);
  if ('unknown' in formats) fail(`unknown format "${formats.unknown}" (choose from pdf, epub)`);
  const paper = flags.paper?.toLowerCase();
  if (paper !== undefined && !isPaper(paper)) fail(`unknown paper "${flags.paper}" (choose from ${PAPER_SIZES.join(', ')})`);
  const positive = (flag: string, value: string): number => {
    const number = Number(value);
    return Number.isFinite(number) && number > 0 ? number : fail(`${flag} takes a positive number, not "${value}"`);
  };
  const whole = (flag: string, value: string, max: number): number => {
    const number = Number(value);
    return Number.isInteger(number) && number >= 1 && number <= max
      ? number
      : fail(`${flag} takes a whole number from 1 to ${max}, not "${value}"`);
  };
  const timeoutMs = positive('--timeout', flags.timeout) * 1000;
  const maxImageBytes = positive('--max-image-size', flags.maxImageSize) * MEGABYTE;
  return {
    paths,
    outDir: flags.out,
    formats: formats as BuildOptions['formats'],
    templatesDir: flags.templates,
    browserPath: flags.browser,
    browserWs: flags.browserWs,
    paper: paper as Paper | undefined,
    splitLevel: flags.splitLevel === undefined ? undefined : whole('--split-level', flags.splitLevel, 6),
    timeoutMs,
    maxDocumentBytes: positive('--max-document-size', flags.maxDocumentSize) * MEGABYTE,
    maxImageBytes,
    maxPageMemoryBytes: positive('--max-page-memory', flags.maxPageMemory) * MEGABYTE,
    allowRemote: flags.allowRemote,
    linkBase: flags.linkBase === undefined ? undefined : linkBase(flags.linkBase, fail),
    remoteAccess: { maxBytes: maxImageBytes, timeoutMs: Math.min(timeoutMs, REMOTE_TIMEOUT_MS), allowAddress: isPublicAddress },
    jobs: flags.jobs === undefined ? Math.max(1, os.availableParallelism()) : whole('--jobs', flags.jobs, 64),
    force: flags.force,
    archive: flags.archive,
    verbose: flags.verbose,
  };
}

/** --link-base: an absolute http(s) address, kept as a folder (ending in /) so that links resolve under it. */
function linkBase(value: string, fail: (message: string) => never): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`--link-base takes an http or https address, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`--link-base takes an http or https address, not "${value}"`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** Stderr gets a progress bar on a terminal (not while watching), else plain lines; --json adds the report on stdout. */
async function chooseReporter(flags: BuildFlags, io: Io): Promise<Reporter> {
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
