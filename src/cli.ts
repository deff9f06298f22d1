import { Command, CommanderError, Option } from 'commander';
import { build } from './build.js';
import { parseFormats, type BuildOptions } from './options.js';
import { GALLEY_VERSION } from './version.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** The whole CLI, in-process: returns the exit code (0 all built, 1 a document failed, 2 usage). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
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
    .option('--verbose', 'show the stack of unexpected errors', false)
    .action(async (paths: string[], flags: { out: string; format: string; templates?: string; browser?: string; verbose: boolean }) => {
      const formats = parseFormats(flags.format);
      if ('unknown' in formats) {
        program.error(`error: unknown format "${formats.unknown}" (choose from pdf, epub)`, { exitCode: 2 });
      }
      const options: BuildOptions = {
        paths,
        outDir: flags.out,
        formats: formats as BuildOptions['formats'],
        templatesDir: flags.templates,
        browserPath: flags.browser,
        verbose: flags.verbose,
      };
      const summary = await build(options, (line) => io.stderr(`${line}\n`));
      exitCode = summary.failed > 0 ? 1 : 0;
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
