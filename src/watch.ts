import path from 'node:path';
import { watch as watchFiles } from 'chokidar';
import { Builder } from './build.js';
import { describeError } from './errors.js';
import type { BuildOptions } from './options.js';
import { BUILTIN_TEMPLATES_DIR } from './render/templates.js';
import type { BuildSummary, Reporter } from './report/reporter.js';
import { collectSources, isMarkdownFile } from './sources.js';

const SETTLE_MS = 40;

/**
 * Builds the documents, then rebuilds what changes until `stop`: a document when it or an image
 * it uses is saved, every document when a template is. The browser stays warm between builds.
 */
export async function watch(options: BuildOptions, reporter: Reporter, stop: AbortSignal): Promise<BuildSummary> {
  const problems: string[] = [];
  const builder = await Builder.create(options, problems);
  if (!builder) {
    problems.forEach((line) => reporter.problem(line));
    return { built: 0, unchanged: 0, failed: problems.length, interrupted: false, notStarted: 0, problems, documents: [], ms: 0 };
  }
  const outDir = path.resolve(options.outDir);
  const templatesDir = path.resolve(options.templatesDir ?? BUILTIN_TEMPLATES_DIR);
  let last = await buildAll(builder, options, reporter);

  const watcher = watchFiles([...options.paths, templatesDir, ...dependencyFiles(builder)], {
    ignoreInitial: true,
    ignored: (file) => path.resolve(file).startsWith(outDir + path.sep) || path.basename(file).startsWith('.'),
  });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const rebuild = async (changed: Set<string>) => {
    try {
      const templatesChanged = [...changed].some((file) => file.startsWith(templatesDir + path.sep));
      if (templatesChanged) await builder.reloadTemplates();
      const { files } = await collectSources(options.paths);
      const affected = templatesChanged ? files : files.filter((file) => isAffected(builder, file, changed));
      if (affected.length) last = await builder.run(affected, reporter, { force: templatesChanged });
      watcher.add(dependencyFiles(builder));
    } catch (error) {
      reporter.problem(describeError(error, options.verbose));
    }
  };
  watcher.on('all', (_event, file) => {
    pending.add(path.resolve(file));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = pending;
      pending = new Set();
      running = running.then(() => rebuild(changed));
    }, SETTLE_MS);
  });

  await new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
  clearTimeout(timer);
  await watcher.close();
  await running;
  await builder.close();
  return last;
}

async function buildAll(builder: Builder, options: BuildOptions, reporter: Reporter): Promise<BuildSummary> {
  const { files, errors } = await collectSources(options.paths);
  const problems = errors.map((error) => describeError(error));
  problems.forEach((line) => reporter.problem(line));
  return builder.run(files, reporter, { problems });
}

function dependencyFiles(builder: Builder): string[] {
  return [...new Set([...builder.dependencies.values()].flat())];
}

function isAffected(builder: Builder, file: string, changed: Set<string>): boolean {
  const dependencies = builder.dependencies.get(file);
  if (!dependencies) return isMarkdownFile(file) && changed.has(path.resolve(file));
  return dependencies.some((dependency) => changed.has(path.resolve(dependency)));
}
