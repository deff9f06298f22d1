import { access } from 'node:fs/promises';
import { findBrowser } from './browser/find.js';
import { BrowserPool } from './browser/pool.js';
import { BrowserSession, type BrowserTarget } from './browser/session.js';
import { documentName } from './document/names.js';
import type { GalleyError } from './errors.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startCoverWorker } from './cover/workers.js';
import { COVER_CACHE_DIR, manifestPath } from './output/paths.js';
import { mark } from './report/trace.js';
import type { BuildOptions } from './settings/build-options.js';
import { inShard } from './shard.js';
import { collectSources } from './sources.js';

/** How a run begins, before the modules that build are loaded (this module loads almost nothing). */
export interface RunStart {
  /** Every document the paths name. */
  files: string[];
  /** Those this run builds: its shard's. */
  chosen: string[];
  errors: GalleyError[];
  /** The run's browsers, already starting when a build is certain; or why there are none. */
  session: BrowserPool | { problem: unknown };
}

/** Finds the documents, and starts the browser at once when one of them will be printed whatever its inputs. */
export async function startRun(options: BuildOptions): Promise<RunStart> {
  const { files, errors } = await collectSources(options.paths);
  const chosen = inShard(files, options.shard);
  mark('documents found');
  try {
    const session = await openSession(options);
    // Only the PDF is sure to need the browser: an EPUB needs it only for diagrams, started when found.
    const certain = options.formats.includes('pdf') && (await certainToBuild(chosen, options.outDir, options.force));
    mark(certain ? 'a build is certain: the browser starts' : 'no build is certain yet');
    if (certain) await session.warmUpFirst();
    if (await coversCertain(chosen, options)) startCoverWorker();
    return { files, chosen, errors, session };
  } catch (problem) {
    return { files, chosen, errors, session: { problem } };
  }
}

/**
 * The run's browsers, not started yet: the running ones --browser-ws names, else one to launch.
 * The PDF is printed by the browser, and diagrams are drawn by it: a missing browser is one line for
 * the run when PDFs are asked for, else found when a diagram needs it.
 */
export async function openSession(options: BuildOptions): Promise<BrowserPool> {
  const remoteAccess = options.allowRemote ? options.remoteAccess : undefined;
  const session = (target: BrowserTarget) => new BrowserSession(target, remoteAccess, { memoryLimitBytes: options.maxPageMemoryBytes });
  if (options.browserWs.length > 0) {
    return new BrowserPool(options.browserWs.map((endpoint) => ({ session: session({ wsEndpoint: endpoint }), endpoint })));
  }
  const find = () => findBrowser(options.browserPath);
  const executablePath = options.formats.includes('pdf') ? await find() : find;
  return new BrowserPool([{ session: session({ executablePath }), endpoint: undefined }]);
}

/** True when EPUB covers will be drawn: a first build of EPUBs into a folder that keeps no covers. */
async function coversCertain(files: string[], options: BuildOptions): Promise<boolean> {
  if (!options.formats.includes('epub') || existsSync(path.join(options.outDir, COVER_CACHE_DIR))) return false;
  return certainToBuild(files, options.outDir, options.force);
}

/** True when a document will be built whatever its inputs (--force, or no manifest yet): the browser can start at once. */
export async function certainToBuild(files: string[], outDir: string, force: boolean): Promise<boolean> {
  if (force) return files.length > 0;
  const hasManifest = (file: string) =>
    access(manifestPath(outDir, documentName(file)))
      .then(() => true)
      .catch(() => false);
  return (await Promise.all(files.map(hasManifest))).includes(false);
}
