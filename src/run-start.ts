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

/**
 * Finds the documents, and when one of them will be built whatever its inputs, starts at once what
 * it needs: the browser for a PDF, and the cover worker for EPUBs whose covers are not kept.
 */
export async function startRun(options: BuildOptions): Promise<RunStart> {
  const { files, errors } = await collectSources(options.paths);
  const chosen = inShard(files, options.shard);
  mark('documents found');
  try {
    const session = await openSession(options);
    // Only the PDF is sure to need the browser: an EPUB needs it only for diagrams, started when found.
    const printing = options.formats.includes('pdf');
    const drawingCovers = options.formats.includes('epub') && !existsSync(path.join(options.outDir, COVER_CACHE_DIR));
    const certain = (printing || drawingCovers) && (await certainToBuild(chosen, options.outDir, options.force));
    mark(certain ? 'a build is certain' : 'no build is certain yet');
    if (certain && printing) await session.warmUpFirst();
    // An EPUB into a folder that keeps no covers draws every cover: its worker starts now.
    if (certain && drawingCovers) startCoverWorker();
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

/** True when a document will be built whatever its inputs (--force, or no manifest yet): the browser can start at once. */
export async function certainToBuild(files: string[], outDir: string, force: boolean): Promise<boolean> {
  if (force) return files.length > 0;
  const hasManifest = (file: string) =>
    access(manifestPath(outDir, documentName(file)))
      .then(() => true)
      .catch(() => false);
  return (await Promise.all(files.map(hasManifest))).includes(false);
}
