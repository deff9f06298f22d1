import path from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import { Builder } from './build.js';
import { describeError } from './errors.js';
import type { BuildOptions } from './settings/build-options.js';
import { BUILTIN_TEMPLATES_DIR } from './render/templates.js';
import type { BuildSummary, Reporter } from './report/reporter.js';
import { inShard } from './shard.js';
import { collectSources } from './sources.js';

const SETTLE_MS = 40;

/** What a rebuild needs to know: the builder, where templates are, and which documents failed last. */
interface Watching {
  builder: Builder;
  options: BuildOptions;
  reporter: Reporter;
  stop: AbortSignal;
  watcher: FSWatcher;
  templatesDir: string;
  /** Documents whose last build failed: any file saved in their folder (or below) may be what they lacked. */
  failing: Set<string>;
}

/**
 * Builds the documents, then rebuilds what changes until `stop`: a document when it or an image
 * it uses is saved, every document when a template is, and a document that failed when anything
 * in its folder is. The browser stays warm between builds. `stop` also cuts short a build under way.
 */
export async function watch(options: BuildOptions, reporter: Reporter, stop: AbortSignal): Promise<BuildSummary> {
  const problems: string[] = [];
  const builder = await Builder.create(options, problems);
  if (!builder) {
    problems.forEach((line) => reporter.problem(line));
    return { built: 0, unchanged: 0, failed: problems.length, interrupted: false, notStarted: 0, problems, documents: [], ms: 0 };
  }
  try {
    const failing = new Set<string>();
    let last = await buildAll(builder, options, reporter, stop);
    noteFailures(last, failing);
    if (stop.aborted) return last;
    const templatesDir = path.resolve(options.templatesDir ?? BUILTIN_TEMPLATES_DIR);
    const watcher = watchInputs(options, templatesDir, [...dependencyFiles(builder), ...foldersOf(failing)]);
    watcher.on('error', (error) => reporter.problem(describeError(error, options.verbose)));
    const watching: Watching = { builder, options, reporter, stop, watcher, templatesDir, failing };
    const changes = onSettledChanges(watcher, async (changed) => {
      last = (await rebuild(watching, changed)) ?? last;
    });
    await new Promise<void>((resolve) => (stop.aborted ? resolve() : stop.addEventListener('abort', () => resolve(), { once: true })));
    await changes.close();
    return last;
  } finally {
    await builder.close();
  }
}

async function buildAll(builder: Builder, options: BuildOptions, reporter: Reporter, stop: AbortSignal): Promise<BuildSummary> {
  const { files, errors } = await collectSources(options.paths);
  const problems = errors.map((error) => describeError(error));
  problems.forEach((line) => reporter.problem(line));
  return builder.run(inShard(files, options.shard), reporter, { problems, stop, namedAmong: files });
}

function watchInputs(options: BuildOptions, templatesDir: string, more: string[]): FSWatcher {
  const outDir = path.resolve(options.outDir);
  return watchFiles([...options.paths, templatesDir, ...more], {
    ignoreInitial: true,
    ignored: (file) => path.resolve(file).startsWith(outDir + path.sep) || path.basename(file).startsWith('.'),
  });
}

/**
 * Calls `handle` with the files changed once they have been quiet for SETTLE_MS, one call at a
 * time. `close()` stops watching and waits for the call under way.
 */
function onSettledChanges(watcher: FSWatcher, handle: (changed: Set<string>) => Promise<void>): { close(): Promise<void> } {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  watcher.on('all', (_event, file) => {
    pending.add(path.resolve(file));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = pending;
      pending = new Set();
      running = running.then(() => handle(changed));
    }, SETTLE_MS);
  });
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

/** Rebuilds what `changed` affects; undefined when nothing was built. */
async function rebuild(watching: Watching, changed: Set<string>): Promise<BuildSummary | undefined> {
  const { builder, options, reporter, stop, watcher, templatesDir, failing } = watching;
  if (stop.aborted) return undefined;
  try {
    const templatesChanged = [...changed].some((file) => file.startsWith(templatesDir + path.sep));
    if (templatesChanged) await builder.reloadTemplates();
    const { files: all } = await collectSources(options.paths);
    const files = inShard(all, options.shard);
    const affected = templatesChanged ? files : files.filter((file) => isAffected(watching, file, changed));
    if (!affected.length) return undefined;
    const summary = await builder.run(affected, reporter, { force: templatesChanged, stop });
    noteFailures(summary, failing);
    watcher.add([...dependencyFiles(builder), ...foldersOf(failing)]);
    return summary;
  } catch (error) {
    reporter.problem(describeError(error, options.verbose));
    return undefined;
  }
}

function noteFailures(summary: BuildSummary, failing: Set<string>): void {
  for (const result of summary.documents) {
    if (result.status === 'failed') failing.add(result.source);
    else failing.delete(result.source);
  }
}

function foldersOf(files: Set<string>): string[] {
  return [...new Set([...files].map((file) => path.dirname(path.resolve(file))))];
}

function dependencyFiles(builder: Builder): string[] {
  return [...new Set([...builder.dependencies.values()].flat())];
}

function isAffected({ builder, failing }: Watching, file: string, changed: Set<string>): boolean {
  if (changed.has(path.resolve(file))) return true;
  if (failing.has(file)) {
    const folder = path.dirname(path.resolve(file)) + path.sep;
    if ([...changed].some((changedFile) => changedFile.startsWith(folder))) return true;
  }
  return builder.dependencies.get(file)?.some((dependency) => changed.has(path.resolve(dependency))) ?? false;
}
