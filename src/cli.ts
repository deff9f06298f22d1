import { Command, CommanderError, Option } from 'commander';
import { build } from './build.js';
import { isPaper, PAPER_SIZES, parseFormats, type BuildOptions, type Paper } from './options.js';
import { isPublicAddress } from './net/guarded-fetch.js';
import { GALLEY_VERSION } from './version.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Aborted on the first Ctrl-C or SIGTERM; a second one ends the process at once. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

interface BuildFlags {
  out: string;
  format: string;
  templates?: string;
  browser?: string;
  paper?: string;
  splitLevel?: string;
  timeout: string;
  maxDocumentSize: string;
  maxImageSize: string;
  allowRemote: boolean;
  verbose: boolean;
}

const MEGABYTE = 1024 * 1024;
const REMOTE_TIMEOUT_MS = 20_000;
/** The shell's code for a run ended by Ctrl-C. */
const INTERRUPTED = 130;

/** The whole CLI, in-process: returns the exit code (0 all built, 1 a document failed, 2 usage). */
export async function main(argv: string[], io: Io = processIo, stop: AbortSignal = interruptSignal()): Promise<number> {
  let exitCode = 0;
  const program = new Command('galley')
    .description('Publish Markdown articles as a print PDF and an EPUB 3.')
    .version(GALLEY_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('build')
    .description('build Markdown files or folders into PDF and EPUB')
    .argument('[paths...]', 'Markdown files or folders', ['content'])
    .option('-o, --out <dir>', 'output folder', 'output')
    .addOption(new Option('-f, --format <list>', 'formats to build: pdf, epub or pdf,epub').default('pdf,epub'))
    .option('--templates <dir>', 'a folder of your own templates (files it lacks come from galley)')
    .option('--browser <path>', 'the Chrome or Chromium to print with')
    .option('--paper <size>', `paper for the PDF: ${PAPER_SIZES.join(', ')} (wins over front matter; default a4)`)
    .option('--split-level <n>', 'start an EPUB chapter at each heading of this level or above (default 2)')
    .option('--timeout <seconds>', 'time limit for each document', '60')
    .option('--max-document-size <MB>', 'largest Markdown file read', '10')
    .option('--max-image-size <MB>', 'largest image read or downloaded', '50')
    .option('--allow-remote', 'fetch http(s) images and styles (never from local or private addresses)', false)
    .option('--verbose', 'show the stack of unexpected errors', false)
    .action(async (paths: string[], flags: BuildFlags) => {
      const formats = parseFormats(flags.format);
      if ('unknown' in formats) {
        program.error(`error: unknown format "${formats.unknown}" (choose from pdf, epub)`, { exitCode: 2 });
      }
      const paper = flags.paper?.toLowerCase();
      if (paper !== undefined && !isPaper(paper)) {
        program.error(`error: unknown paper "${flags.paper}" (choose from ${PAPER_SIZES.join(', ')})`, { exitCode: 2 });
      }
      const splitLevel = flags.splitLevel === undefined ? undefined : Number(flags.splitLevel);
      if (splitLevel !== undefined && !(Number.isInteger(splitLevel) && splitLevel >= 1 && splitLevel <= 6)) {
        program.error(`error: --split-level takes a heading level from 1 to 6, not "${flags.splitLevel}"`, { exitCode: 2 });
      }
      const positive = (flag: string, value: string): number => {
        const number = Number(value);
        if (!(Number.isFinite(number) && number > 0)) program.error(`error: ${flag} takes a positive number, not "${value}"`, { exitCode: 2 });
        return number;
      };
      const timeoutMs = positive('--timeout', flags.timeout) * 1000;
      const maxImageBytes = positive('--max-image-size', flags.maxImageSize) * MEGABYTE;
      const options: BuildOptions = {
        paths,
        outDir: flags.out,
        formats: formats as BuildOptions['formats'],
        templatesDir: flags.templates,
        browserPath: flags.browser,
        paper: paper as Paper | undefined,
        splitLevel,
        timeoutMs,
        maxDocumentBytes: positive('--max-document-size', flags.maxDocumentSize) * MEGABYTE,
        maxImageBytes,
        allowRemote: flags.allowRemote,
        remoteAccess: { maxBytes: maxImageBytes, timeoutMs: Math.min(timeoutMs, REMOTE_TIMEOUT_MS), allowAddress: isPublicAddress },
        verbose: flags.verbose,
      };
      const summary = await build(options, (line) => io.stderr(`${line}\n`), stop);
      exitCode = summary.interrupted ? INTERRUPTED : summary.failed > 0 ? 1 : 0;
    });

  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
}
