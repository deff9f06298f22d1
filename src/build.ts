import path from 'node:path';
import { loadDocument } from './document/load.js';
import type { DocumentModel, Notice } from './document/model.js';
import { buildEpub } from './epub/build-epub.js';
import { describeError, GalleyError } from './errors.js';
import type { BuildOptions } from './options.js';
import { writeOutputs, type PendingOutput } from './output/write.js';
import { BrowserSession } from './pdf/browser-session.js';
import { findBrowser } from './pdf/find-browser.js';
import { printPdf } from './pdf/print.js';
import { loadTemplates, type TemplateSet } from './render/templates.js';
import { collectSources } from './sources.js';
import { GALLEY_VERSION } from './version.js';

export interface BuildSummary {
  built: number;
  failed: number;
}

/** Where a build reports to: one line at a time, for a person (stderr). */
export type Log = (line: string) => void;

/** Builds every document; a document that fails does not stop the others. */
export async function build(options: BuildOptions, log: Log): Promise<BuildSummary> {
  const summary: BuildSummary = { built: 0, failed: 0 };
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

  const session = new BrowserSession(browserPath);
  const outputNames = new Map<string, string>();
  try {
    for (const file of files) {
      try {
        claimOutputName(outputNames, file);
        const doc = await loadDocument(file);
        const lines = await buildDocument(doc, options, templates, session);
        lines.forEach((line) => log(line));
        summary.built += 1;
      } catch (error) {
        fail(error instanceof GalleyError ? error.inFile(file) : error);
      }
    }
  } finally {
    await session.close();
  }
  if (summary.built + summary.failed > 1 || summary.failed > 0) log(`${summary.built} built, ${summary.failed} failed`);
  return summary;
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
  await writeOutputs(outputs);

  const warningLines = warnings.map((notice) => `${doc.sourcePath}${notice.line ? `:${notice.line}` : ''}: warning: ${notice.message}`);
  return [...warningLines, `built ${doc.sourcePath}: ${counts.join(', ')}`];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
