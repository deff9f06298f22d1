import { stat } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { findBook } from './book/find.js';
import type { LoadedDocument, LoadOptions } from './document/load.js';
import { documentName } from './document/names.js';
import { diagramFences } from './document/diagrams.js';
import type { DocumentModel, Notice } from './document/model.js';
import { CoverCache } from './cover/cover-cache.js';
import { bookMetadata, coverBook } from './epub/book-metadata.js';
import { coversBeingDrawn, coverWorkerRunning } from './cover/workers.js';
import { generatedCover, makeCover } from './epub/cover.js';
import type { DiagramCache } from './diagrams/diagram-cache.js';
import { describeError, GalleyError } from './errors.js';
import { boundHeapGrowth } from './heap-growth.js';
import { RemoteImageCache } from './net/remote-images.js';
import { optionsInOutputs, type BuildOptions } from './settings/build-options.js';
import type { Format } from './settings/choices.js';
import type { DocumentSettings } from './settings/resolve.js';
import {
  documentInputs,
  filesRead,
  isUpToDate,
  manifestPath,
  readManifest,
  sha256,
  sourceBase,
  templatesHash,
  unchangedFiles,
  type Manifest,
  type OutputRecord,
} from './output/manifest.js';
import { builtEdition, planArchive } from './output/archive.js';
import { COVER_CACHE_DIR, DIAGRAM_CACHE_DIR } from './output/paths.js';
import { commitOutputs, type PendingOutput } from './output/write.js';
import { BrowserPool } from './browser/pool.js';
import type { BrowserSession, PageSource } from './browser/session.js';
import { compileTemplates, loadTemplates, templateFiles, templatesFor, type TemplateSet } from './render/templates.js';
import type { BuildSummary, DocumentResult, Reporter } from './report/reporter.js';
import { certainToBuild, openSession, type RunStart, startRun } from './run-start.js';
import { mark, traced } from './report/trace.js';
import { GALLEY_VERSION } from './version.js';

export type { BuildSummary, DocumentResult } from './report/reporter.js';

/** How many documents are checked for changes at the same time (reads and hashes, no parsing). */
const UNCHANGED_CHECKS = 16;

/** Builds every document the paths name; see Builder. */
export async function build(options: BuildOptions, reporter: Reporter, stop?: AbortSignal, start?: RunStart): Promise<BuildSummary> {
  const started = Date.now();
  const { files, chosen, errors, session } = start ?? (await startRun(options));
  const problems = errors.map((error) => describeError(error));
  const builder = await Builder.create(options, problems, session);
  if (!builder) {
    problems.forEach((line) => reporter.problem(line));
    const summary = summarize({ documents: [], notStarted: 0, problems, interrupted: false, started });
    reporter.end(summary);
    return summary;
  }
  try {
    problems.forEach((line) => reporter.problem(line));
    return await builder.run(chosen, reporter, { stop, started, problems, namedAmong: files });
  } finally {
    await builder.close();
  }
}

/** The run's counts; `problems` are the failures that are not a document's (a path, the browser). */
function summarize(run: Pick<BuildSummary, 'documents' | 'notStarted' | 'problems' | 'interrupted'> & { started: number }): BuildSummary {
  const { documents, notStarted, problems, interrupted, started } = run;
  const count = (status: DocumentResult['status']) => documents.filter((result) => result.status === status).length;
  const [built, unchanged, failures] = [count('built'), count('unchanged'), count('failed') + problems.length];
  return { built, unchanged, failed: failures, interrupted, notStarted, problems, documents, ms: Date.now() - started };
}

/**
 * Builds documents with one browser and up to `--jobs` documents at a time: each document prints
 * its PDF while its EPUB is made. A document whose inputs have not changed since its manifest was
 * written is left alone (unless --force), so an unchanged folder never starts the browser.
 * A document that fails or runs out of time fails alone; its pages are closed.
 */
export class Builder {
  /** For `galley watch`: the files each document was made from (itself, its images, its cover). */
  readonly dependencies = new Map<string, string[]>();
  #templateFiles: TemplateSet['files'];
  /** Compiled when first needed: a run that builds nothing never compiles them. */
  #templates: Promise<TemplateSet> | undefined;
  #templatesHash: string;
  readonly #pool: BrowserPool;
  readonly #remoteImages: RemoteImageCache | undefined;
  readonly #loadOptions: LoadOptions;
  #diagramCache: DiagramCache | undefined;
  #covers: CoverCache | undefined;

  private constructor(
    private readonly options: BuildOptions,
    files: TemplateSet['files'],
    templates: TemplateSet | undefined,
    hash: string,
    pool: BrowserPool,
  ) {
    this.#templateFiles = files;
    this.#templates = templates && Promise.resolve(templates);
    this.#templatesHash = hash;
    this.#pool = pool;
    const remoteAccess = options.allowRemote ? options.remoteAccess : undefined;
    this.#remoteImages = remoteAccess && new RemoteImageCache(remoteAccess);
    const { maxDocumentBytes, maxImageBytes, paper, splitLevel, linkBase } = options;
    this.#loadOptions = { maxDocumentBytes, maxImageBytes, remoteImages: this.#remoteImages, paper, splitLevel, linkBase };
  }

  /**
   * Finds and hashes the templates, for the run's browsers (opened by openSession, and perhaps
   * started already); a problem there, or the browsers', is added to `problems`, and the browsers
   * are closed. When a build is certain (the browser is starting), the templates are compiled at
   * once, so that a broken one is one line for the run; else only when a document needs them.
   */
  static async create(options: BuildOptions, problems: string[], given?: BrowserPool | { problem: unknown }): Promise<Builder | undefined> {
    const opened = given ?? (await openSession(options).catch((problem: unknown) => ({ problem })));
    const pool = opened instanceof BrowserPool ? opened : undefined;
    try {
      if (!pool) throw (opened as { problem: unknown }).problem;
      const certain = pool.launches > 0;
      if (certain) void outputModules(options.formats);
      const files = await templateFiles(options.templatesDir);
      const hash = await templatesHash({ files });
      const templates = certain ? await compileTemplates(files, templatesFor(options.formats)) : undefined;
      mark(templates ? 'templates compiled' : 'templates found');
      return new Builder(options, files, templates, hash, pool);
    } catch (error) {
      await pool?.close();
      problems.push(describeError(error, options.verbose));
      return undefined;
    }
  }

  /** How many times the browser was started (or connected to). */
  get browserLaunches(): number {
    return this.#pool.launches;
  }

  /** Templates changed on disk (watch): every document depends on them. */
  async reloadTemplates(): Promise<void> {
    const templates = await loadTemplates(this.options.templatesDir);
    this.#templateFiles = templates.files;
    this.#templates = Promise.resolve(templates);
    this.#templatesHash = await templatesHash(templates);
  }

  /** What every document's inputs share: the galley, the options that change outputs, the templates. */
  #inputsContext(): { galley: string; options: Record<string, unknown>; templates: string } {
    return { galley: GALLEY_VERSION, options: optionsInOutputs(this.options), templates: this.#templatesHash };
  }

  #compiledTemplates(): Promise<TemplateSet> {
    this.#templates ??= compileTemplates(this.#templateFiles, templatesFor(this.options.formats));
    return this.#templates;
  }

  async run(
    files: string[],
    reporter: Reporter,
    {
      stop,
      force = this.options.force,
      started = Date.now(),
      problems = [],
      namedAmong = files,
    }: {
      stop?: AbortSignal | undefined;
      force?: boolean;
      started?: number;
      problems?: string[];
      /** Every document of the run, when `files` is one shard of them: an output name is checked against them all. */
      namedAmong?: string[];
    } = {},
  ): Promise<BuildSummary> {
    reporter.begin(files.length);
    // build() has started the browser already when a build was certain. An EPUB needs one only for diagrams.
    const printing = this.options.formats.includes('pdf');
    if (printing && this.#pool.launches === 0 && (await certainToBuild(files, this.options.outDir, force))) this.#pool.warmUp();
    const documents: DocumentResult[] = [];
    const limit = pLimit(this.options.jobs * this.#pool.size);
    const checks = pLimit(UNCHANGED_CHECKS);
    const outputNames = new Map<string, string>();
    const collisions = new Map(namedAmong.map((file) => [file, outputCollision(outputNames, file)]));
    const closeBrowser = () => void this.#pool.close();
    stop?.addEventListener('abort', closeBrowser, { once: true });
    if (files.length > 1) void coverWorkerRunning().then(boundHeapGrowth);
    try {
      await Promise.all(
        files.map(async (file) => {
          const collision = collisions.get(file);
          const began = Date.now();
          // Telling an unchanged document takes a few reads and hashes: many are told at once, outside the builds' limit.
          const unchanged =
            collision || force || this.options.archive ? undefined : await checks(() => this.#unchangedWithoutParsing(file));
          return limit(async () => {
            if (stop?.aborted) return;
            reporter.started(file);
            if (unchanged) this.dependencies.set(file, unchanged);
            const result = unchanged
              ? { source: file, status: 'unchanged' as const, outputs: [], warnings: [], ms: Date.now() - began }
              : collision
                ? failed(file, collision, Date.now())
                : await this.#buildOnPool(file, force, stop, reporter);
            documents.push(result);
            reporter.finished(result);
          });
        }),
      );
    } finally {
      stop?.removeEventListener('abort', closeBrowser);
    }
    const interrupted = stop?.aborted ?? false;
    const summary = summarize({ documents, notStarted: files.length - documents.length, problems, interrupted, started });
    summary.browser = this.#pool.description;
    if (this.#pool.dropped.length > 0) summary.browsersDropped = this.#pool.dropped;
    reporter.end(summary);
    return summary;
  }

  /**
   * Builds a document on the least busy browser of the pool. When that browser is lost (a running
   * one that cannot be reached, or went away), it is dropped, with one line, and the document is
   * built again on another; with none left, the document fails with the last browser's reason.
   */
  async #buildOnPool(file: string, force: boolean, stop: AbortSignal | undefined, reporter: Reporter): Promise<DocumentResult> {
    for (;;) {
      const member = this.#pool.take();
      if (!member) {
        return failed(
          file,
          new GalleyError('no browser is left to build it: every --browser-ws browser was dropped', { file }),
          Date.now(),
        );
      }
      let result: DocumentResult;
      try {
        result = await this.#buildOne(file, force, stop, member.session);
      } finally {
        this.#pool.give(member);
      }
      if (result.status !== 'failed' || !member.session.lost || stop?.aborted) return result;
      if (this.#pool.drop(member)) {
        reporter.problem(droppedLine(member.endpoint, result.error, this.#pool.remaining));
        if (this.#pool.remaining === 0) return result;
      }
    }
  }

  async #buildOne(file: string, force: boolean, stop: AbortSignal | undefined, session: BrowserSession): Promise<DocumentResult> {
    const began = Date.now();
    try {
      return await withTimeLimit(this.options.timeoutMs, stop, async (deadline) => {
        if (this.options.formats.length === 1 && this.options.formats[0] === 'epub') await this.#askForCoverFirst(file);
        const { doc, settings } = await loadSource(file, this.#loadOptions);
        mark(`${doc.name}: read`);
        const sources = doc.sources.map((source) => source.path);
        this.dependencies.set(file, [
          ...(doc.book ? sources : [file]),
          ...[...doc.images.values()].map((image) => image.path),
          ...(doc.cover ? [doc.cover.path] : []),
        ]);
        const base = await sourceBase(file);
        const read = await filesRead(doc, base);
        const context = this.#inputsContext();
        const inputs = documentInputs(doc, context, read, base);
        const inputsSha256 = sha256(JSON.stringify(inputs));
        const manifestFile = manifestPath(this.options.outDir, doc.name);
        const { manifest: previous } = await readManifest(manifestFile);
        if (!force && previous && (await isUpToDate(previous, inputsSha256, this.options.outDir))) {
          const archive = await this.#archive(doc, () => builtEdition(this.options.outDir, previous, manifestFile));
          await commitOutputs(archive.copies);
          return { source: file, status: 'unchanged', outputs: [], warnings: archive.warnings, ms: Date.now() - began };
        }
        if (this.options.formats.includes('pdf')) session.warmUp();
        const made = await this.#makeOutputs(doc, settings, session.forDocument(deadline.signal));
        deadline.commit();
        const source = { file: path.basename(file), sha256: inputs.source };
        const manifest: Manifest = { manifest: 1, source, inputs, inputsSha256, outputs: made.records, read };
        const manifestOutput = { path: manifestFile, bytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) };
        const archive = await this.#archive(doc, async () => [...made.pending, manifestOutput]);
        // All or nothing, the manifest last: a commit cut short leaves the old manifest, and a rebuild.
        await commitOutputs([...made.pending, ...archive.copies, manifestOutput]);
        mark(`${doc.name}: written`);
        const outputs = made.records.map((record) => ({ ...record, path: path.join(this.options.outDir, record.file) }));
        const warnings = doc.warnings.map(
          (notice) => `${notice.file ?? file}${notice.line ? `:${notice.line}` : ''}: warning: ${notice.message}`,
        );
        const allWarnings = [...warnings, ...made.warnings.map((line) => `${file}: warning: ${line}`), ...archive.warnings];
        return { source: file, status: 'built', outputs, warnings: allWarnings, ms: Date.now() - began };
      });
    } catch (error) {
      return failed(file, error instanceof GalleyError ? error.inFile(file) : error, began, this.options.verbose);
    }
  }

  /**
   * Asks for a Markdown file's generated cover from its front matter, before the file is parsed,
   * when that is all the cover shows (see frontMatterMetadata, which reads the file a first time,
   * from the page cache and without its parser's modules): its worker draws it while the
   * document is read. makeCover, asking for the same cover later, is given the same drawing, and
   * a problem is reported there. Waited for, since parsing holds this thread for as long as it takes.
   * Only for an EPUB alone, and only when no cover is being drawn (a single document, the first of a
   * batch): with a PDF, the document is read once its browser has started, and its cover, drawn
   * while it prints, is ready before the PDF is; in a batch, the worker has covers to draw already.
   */
  async #askForCoverFirst(file: string): Promise<void> {
    if (coversBeingDrawn() > 0) return;
    const { frontMatterMetadata } = await import('./document/markdown-file.js');
    const metadata = await frontMatterMetadata(file, this.#loadOptions.maxDocumentBytes);
    if (!metadata) return;
    const templates = await this.#compiledTemplates().catch(() => undefined);
    if (!templates) return;
    const name = documentName(file);
    generatedCover(coverBook(metadata, name), templates, this.#coverCache()).catch(() => undefined);
    mark(`${name}: cover asked for from the front matter`);
  }

  /**
   * The files a document was made from, when its manifest shows it unchanged without parsing it
   * (see unchangedFiles); undefined when it must be read to tell.
   */
  async #unchangedWithoutParsing(file: string): Promise<string[] | undefined> {
    const manifestFile = manifestPath(this.options.outDir, documentName(file));
    const { manifest } = await readManifest(manifestFile);
    if (!manifest) return undefined;
    const context = this.#inputsContext();
    const files = await unchangedFiles(manifest, await sourceBase(file), context);
    if (!files || !(await isUpToDate(manifest, manifest.inputsSha256, this.options.outDir))) return undefined;
    return files;
  }

  /**
   * With --archive, the copies of the edition (`edition()`: its files, the manifest last) still to
   * be written, or a refusal before anything is; a warning for each archived file --replace-archived replaces.
   */
  async #archive(doc: DocumentModel, edition: () => Promise<PendingOutput[]>): Promise<{ copies: PendingOutput[]; warnings: string[] }> {
    if (!this.options.archive) return { copies: [], warnings: [] };
    const label = doc.metadata.edition ?? doc.metadata.updated ?? doc.metadata.date ?? 'undated';
    const { copies, replaced } = await planArchive(this.options.outDir, doc.name, label, await edition(), this.options.replaceArchived);
    const warning = (target: string) => `${doc.sourcePath}: warning: --replace-archived replaced the archived ${target}`;
    return { copies, warnings: replaced.map(warning) };
  }

  /** Makes every requested format in memory, the PDF and the EPUB at the same time. */
  async #makeOutputs(
    doc: DocumentModel,
    settings: DocumentSettings,
    pages: PageSource,
  ): Promise<{ pending: PendingOutput[]; records: OutputRecord[]; warnings: string[] }> {
    const formats = this.options.formats;
    // The cover first: one not drawn before is set and painted in its worker while the diagrams are
    // drawn, the EPUB's modules load and its chapters are rendered here. It is asked for before
    // anything else is loaded: loading a module holds this thread, and the worker would wait.
    const templates = await this.#compiledTemplates();
    const book = formats.includes('epub') ? bookMetadata(doc) : undefined;
    const cover = book && traced(`${doc.name}: cover`, makeCover(doc, book, templates, this.#coverCache()));
    cover?.catch(() => undefined);
    doc.warnings.push(...(await this.#drawDiagrams(doc, pages)));
    const { printPdf, buildEpub } = await outputModules(formats);
    const [pdf, epub] = await Promise.all([
      printPdf?.(pages, doc, templates, { paper: settings.paper, version: GALLEY_VERSION, standard: this.options.pdfStandard }),
      book && cover && buildEpub?.(doc, templates, { book, cover, splitLevel: settings.splitLevel }),
    ]);
    const pending: PendingOutput[] = [];
    const records: OutputRecord[] = [];
    const add = (format: Format, bytes: Uint8Array, count: Pick<OutputRecord, 'pages' | 'chapters'>) => {
      const file = `${doc.name}.${format}`;
      pending.push({ path: path.join(this.options.outDir, file), bytes });
      records.push({ format, file, sha256: sha256(bytes), bytes: bytes.byteLength, ...count });
    };
    if (pdf) add('pdf', pdf.bytes, { pages: pdf.pages });
    if (epub) add('epub', epub.bytes, { chapters: epub.chapters });
    const warnings = [...(pdf?.warnings ?? []), ...(epub?.warnings ?? [])].map((notice) => notice.message);
    return { pending, records, warnings };
  }

  /** Draws the document's diagrams into its images; a document without any loads nothing for them. */
  async #drawDiagrams(doc: DocumentModel, pages: PageSource): Promise<Notice[]> {
    if (diagramFences(doc.blocks, doc.footnotes.values()).length === 0) return [];
    const { drawDiagrams, DiagramCache: Cache } = await import('./diagrams/draw-diagrams.js');
    this.#diagramCache ??= new Cache(path.join(this.options.outDir, DIAGRAM_CACHE_DIR));
    return drawDiagrams(doc, pages, this.#diagramCache);
  }

  #coverCache(): CoverCache {
    this.#covers ??= new CoverCache(path.join(this.options.outDir, COVER_CACHE_DIR));
    return this.#covers;
  }

  async close(): Promise<void> {
    await this.#pool.close();
    await this.#remoteImages?.dispose();
  }
}

/** The makers of the formats asked for, and only those: an unchanged folder, or an EPUB-only build, never loads the printer. */
async function outputModules(formats: Format[]) {
  const [print, epub] = await Promise.all([
    formats.includes('pdf') ? import('./pdf/print.js') : undefined,
    formats.includes('epub') ? import('./epub/build-epub.js') : undefined,
  ]);
  return { printPdf: print?.printPdf, buildEpub: epub?.buildEpub };
}

/** The one line for a --browser-ws browser that is dropped, with the reason its document gave. */
function droppedLine(endpoint: string | undefined, reason: string | undefined, left: number): string {
  const why = reason?.replace(/^.*?: /, '') ?? 'it went away';
  return `--browser-ws ${endpoint}: dropped (${why}); ${left > 0 ? 'its documents are built on the other browsers' : 'no other browser is left'}`;
}

/** A Markdown file, or a folder that holds a book; the parser is loaded only for a document that must be read. */
async function loadSource(file: string, options: LoadOptions): Promise<LoadedDocument> {
  const book = (await stat(file).catch(() => undefined))?.isDirectory() ? await findBook(file) : undefined;
  if (book) return (await import('./book/load-book.js')).loadBook(book, file, options);
  return (await import('./document/load.js')).loadDocumentAndSettings(file, options);
}

function failed(source: string, error: unknown, began: number, verbose = false): DocumentResult {
  return { source, status: 'failed', outputs: [], warnings: [], error: describeError(error, verbose), ms: Date.now() - began };
}

function outputCollision(names: Map<string, string>, file: string): GalleyError | undefined {
  const name = documentName(file);
  const earlier = names.get(name);
  if (earlier) return new GalleyError(`its outputs would overwrite those of ${earlier}: give one of them another name`, { file });
  names.set(name, file);
  return undefined;
}

/** A document's hold on its time: aborted when it is given up, unless it has begun to write. */
interface Deadline {
  signal: AbortSignal;
  /** From here on the work is finished, not given up: its files are being written. */
  commit(): void;
}

/**
 * Runs one document's work with a time limit. The work gets a deadline whose signal is aborted
 * when the time is up or the run is stopped; once it commits to writing, it is let finish, so that
 * what is reported built is what is on disk, and nothing given up is ever written.
 */
async function withTimeLimit<T>(limitMs: number, stop: AbortSignal | undefined, work: (deadline: Deadline) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let committed = false;
  const giveUp = (reason: GalleyError) => committed || controller.abort(reason);
  const timer = setTimeout(() => giveUp(new GalleyError(`timed out after ${limitMs / 1000} s (raise the limit with --timeout)`)), limitMs);
  const onStop = () => giveUp(new GalleyError('interrupted'));
  stop?.addEventListener('abort', onStop, { once: true });
  const givenUp = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  const deadline: Deadline = {
    signal: controller.signal,
    commit: () => {
      controller.signal.throwIfAborted();
      committed = true;
    },
  };
  try {
    return await Promise.race([work(deadline), givenUp]);
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
    givenUp.catch(() => undefined);
  }
}
