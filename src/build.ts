import path from 'node:path';
import { loadDocument, type LoadOptions } from './document/load.js';
import type { DocumentModel, Notice } from './document/model.js';
import { buildEpub } from './epub/build-epub.js';
import { describeError, GalleyError } from './errors.js';
import type { BuildOptions } from './options.js';
import { writeOutputs, type PendingOutput } from './output/write.js';
import { BrowserSession } from './pdf/browser-session.js';
import { findBrowser } from './pdf/find-browser.js';
import { printPdf } from './pdf/print.js';
import { loadTemplates, type TemplateSet } from './render/templates.js';
import { RemoteImageCache } from './net/remote-images.js';
import { collectSources } from './sources.js';
import { GALLEY_VERSION } from './version.js';

export interface BuildSummary {
  built: number;
  failed: number;
  /** Stopped by Ctrl-C (or SIGTERM) before every document was built. */
  interrupted: boolean;
}

/** Where a build reports to: one line at a time, for a person (stderr). */
export type Log = (line: string) => void;

/**
 * Builds every document; a document that fails (or runs out of time) does not stop the others.
 * `stop` ends the run early: the browser is closed at once and nothing half-made is written.
 */
export async function build(options: BuildOptions, log: Log, stop?: AbortSignal): Promise<BuildSummary> {
  const summary: BuildSummary = { built: 0, failed: 0, interrupted: false };
  const fail = (error: unknown): void => {
    summary.failed += 1;
    log(describeError(error, options.verbose));
  };

  const { files, errors } = await collectSources(options.paths);
  errors.forEach(fail);
  let templates: TemplateSet;
  let browserPath: string;
  try {
    templates = await loadTemplates(options.templatesDir);
    // The PDF is printed by the browser, and the EPUB's generated cover is rendered by it.
    browserPath = await findBrowser(options.browserPath);
  } catch (error) {
    fail(error);
    return summary;
  }

  const remoteAccess = options.allowRemote ? options.remoteAccess : undefined;
  const session = new BrowserSession(browserPath, remoteAccess);
  const remoteImages = remoteAccess && new RemoteImageCache(remoteAccess);
  const loadOptions: LoadOptions = { maxDocumentBytes: options.maxDocumentBytes, maxImageBytes: options.maxImageBytes, remoteImages };
  const closeBrowser = () => void session.close();
  stop?.addEventListener('abort', closeBrowser, { once: true });
  const outputNames = new Map<string, string>();
  try {
    for (const file of files) {
      if (stop?.aborted) break;
      try {
        claimOutputName(outputNames, file);
        const lines = await withTimeLimit(options.timeoutMs, stop, async (cancelled) => {
          const doc = await loadDocument(file, loadOptions);
          return buildDocument(doc, options, templates, session, cancelled);
        });
        lines.forEach((line) => log(line));
        summary.built += 1;
      } catch (error) {
        // A stuck or crashed page may have taken the browser with it: the next document gets a new one.
        if (!(error instanceof GalleyError) || error.message.startsWith('timed out')) await session.close();
        fail(error instanceof GalleyError ? error.inFile(file) : error);
      }
    }
  } finally {
    stop?.removeEventListener('abort', closeBrowser);
    await session.close();
    await remoteImages?.dispose();
  }
  summary.interrupted = stop?.aborted ?? false;
  const counts = `${summary.built} built, ${summary.failed} failed`;
  if (summary.interrupted) log(`interrupted: ${counts}, ${files.length - summary.built - summary.failed} not started`);
  else if (summary.built + summary.failed > 1 || summary.failed > 0) log(counts);
  return summary;
}

/**
 * Runs one document's work with a time limit. The work gets a signal that is aborted when the
 * time is up or the run is stopped, so that it never writes after it has been given up on.
 */
async function withTimeLimit<T>(limitMs: number, stop: AbortSignal | undefined, work: (cancelled: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new GalleyError(`timed out after ${limitMs / 1000} s (raise the limit with --timeout)`)), limitMs);
  const onStop = () => controller.abort(new GalleyError('interrupted'));
  stop?.addEventListener('abort', onStop, { once: true });
  const givenUp = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    return await Promise.race([work(controller.signal), givenUp]);
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
    givenUp.catch(() => undefined);
  }
}

function claimOutputName(names: Map<string, string>, file: string): void {
  const name = path.basename(file, path.extname(file));
  const earlier = names.get(name);
  if (earlier) throw new GalleyError(`its outputs would overwrite those of ${earlier}: give one of them another name`, { file });
  names.set(name, file);
}

/** Makes every format in memory first, then writes them all: a failure writes nothing. */
async function buildDocument(
  doc: DocumentModel,
  options: BuildOptions,
  templates: TemplateSet,
  session: BrowserSession,
  cancelled: AbortSignal,
): Promise<string[]> {
  const outputs: PendingOutput[] = [];
  const counts: string[] = [];
  const warnings: Notice[] = [...doc.warnings];
  const target = (extension: string) => path.join(options.outDir, `${doc.name}.${extension}`);

  if (options.formats.includes('pdf')) {
    const paper = options.paper ?? doc.metadata.paper ?? 'a4';
    const pdf = await printPdf(session, doc, templates, { paper, version: GALLEY_VERSION });
    warnings.push(...pdf.warnings);
    outputs.push({ path: target('pdf'), bytes: pdf.bytes });
    counts.push(`${target('pdf')} (${plural(pdf.pages, 'page')})`);
  }
  if (options.formats.includes('epub')) {
    const splitLevel = options.splitLevel ?? doc.metadata.splitLevel ?? 2;
    const epub = await buildEpub(doc, templates, { session, splitLevel });
    outputs.push({ path: target('epub'), bytes: epub.bytes });
    counts.push(`${target('epub')} (${plural(epub.chapters, 'chapter')})`);
  }
  cancelled.throwIfAborted();
  await writeOutputs(outputs);

  const warningLines = warnings.map((notice) => `${doc.sourcePath}${notice.line ? `:${notice.line}` : ''}: warning: ${notice.message}`);
  return [...warningLines, `built ${doc.sourcePath}: ${counts.join(', ')}`];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
