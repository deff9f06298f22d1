import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { findBrowser } from '../../src/browser/find.js';

const run = promisify(execFile);

export interface EpubReadBack {
  entries: string[];
  /** Every XML entry parsed; throws on any that is not well-formed. */
  xml: Map<string, unknown>;
  text: Map<string, string>;
  /** Every entry's bytes, images included. */
  bytes: Map<string, Uint8Array>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  preserveOrder: false,
  isArray: () => false,
  htmlEntities: true,
});

export async function readEpub(file: string): Promise<EpubReadBack> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const entries = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir);
  const xml = new Map<string, unknown>();
  const text = new Map<string, string>();
  const bytes = new Map<string, Uint8Array>();
  for (const name of entries) {
    bytes.set(name, await zip.file(name)!.async('uint8array'));
    if (!/\.(xhtml|opf|ncx|xml|svg)$/.test(name)) continue;
    const source = await zip.file(name)!.async('string');
    const valid = XMLValidator.validate(source);
    if (valid !== true) throw new Error(`${name} is not well-formed XML: ${JSON.stringify(valid.err)}`);
    text.set(name, source);
    xml.set(name, parser.parse(source));
  }
  return { entries, xml, text, bytes };
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties: string | undefined;
}

export interface PackageView {
  manifest: ManifestItem[];
  /** The spine, as hrefs, in reading order. */
  spine: string[];
  /** Values of <meta property="…"> (refines left out), by property. */
  meta: (property: string) => string[];
  /** Text of a dc: element, for each time it occurs. */
  dc: (name: string) => string[];
  /** Values of <meta refines="#id" property="…">. */
  refines: (id: string, property: string) => string[];
}

const textOf = (node: unknown): string =>
  typeof node === 'object' && node !== null ? String((node as Record<string, unknown>)['#text'] ?? '') : String(node);

/** The package document, read back as manifest, spine and metadata. */
export function packageOf(epub: EpubReadBack): PackageView {
  const opf = (epub.xml.get('OEBPS/content.opf') as any).package;
  const manifest: ManifestItem[] = asArray(opf.manifest.item).map((item: any) => ({
    id: item['@id'],
    href: item['@href'],
    mediaType: item['@media-type'],
    properties: item['@properties'],
  }));
  const hrefOf = new Map(manifest.map((item) => [item.id, item.href]));
  const metas: any[] = asArray(opf.metadata.meta);
  return {
    manifest,
    spine: asArray(opf.spine.itemref).map((ref: any) => hrefOf.get(ref['@idref'])!),
    meta: (property) => metas.filter((meta) => meta['@property'] === property && !meta['@refines']).map(textOf),
    dc: (name) => asArray(opf.metadata[`dc:${name}`]).map(textOf),
    refines: (id, property) => metas.filter((meta) => meta['@refines'] === `#${id}` && meta['@property'] === property).map(textOf),
  };
}

/** Width and height from a PNG's header. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const buffer = Buffer.from(bytes);
  if (buffer.toString('latin1', 1, 4) !== 'PNG') throw new Error('not a PNG');
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** EPUBCheck 5, from Maven Central, in the test run's warm JVM (tests/validators). */
export { epubcheck, type EpubcheckVerdict } from './validators.js';

export interface AceViolation {
  /** The file it was found in (the package document or a content document). */
  file: string;
  impact: string;
  /** The rule, such as `metadata-accessmode` or `color-contrast`. */
  rule: string;
  description: string;
}

export interface AceVerdict {
  outcome: string;
  violations: AceViolation[];
  /** Each file Ace reported on (the package document, each content document, and the nav once more as the nav), with its outcome. */
  outcomes: Map<string, string>;
}

/** Runs Ace by DAISY with the browser galley would use, and reads its JSON report: every failed check, of any impact. */
export async function ace(file: string): Promise<AceVerdict> {
  const reportDir = await mkdtemp(path.join(os.tmpdir(), 'galley-ace-'));
  try {
    const browser = await findBrowser(undefined);
    await run(path.resolve('node_modules/.bin/ace-cli'), ['--silent', '--force', '-o', reportDir, file], {
      env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: browser },
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(await readFile(path.join(reportDir, 'report.json'), 'utf8'));
    const violations: AceViolation[] = report.assertions.flatMap((subject: any) =>
      subject.assertions
        .filter((assertion: any) => assertion['earl:result']['earl:outcome'] !== 'pass')
        .map((assertion: any) => ({
          file: subject['earl:testSubject'].url,
          impact: assertion['earl:test']['earl:impact'],
          rule: assertion['earl:test']['dct:title'],
          description: assertion['earl:result']['dct:description'],
        })),
    );
    const outcomes = new Map<string, string>(
      report.assertions.map((subject: any) => [subject['earl:testSubject'].url, subject['earl:result']['earl:outcome']]),
    );
    return { outcome: report['earl:result']['earl:outcome'], violations, outcomes };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

export interface AddedDocument {
  /** Where it goes, relative to the package document. */
  href: string;
  xhtml: string;
}

/**
 * Writes a copy of an EPUB with more XHTML documents at the end of its spine, so that one Ace run
 * checks them too: each run costs a browser's start, and each document about a CPU-second. The
 * copy is for Ace, not for epubcheck: the documents' links are left as they are.
 */
export async function withDocumentsAdded(file: string, copy: string, documents: AddedDocument[]): Promise<void> {
  const zip = await JSZip.loadAsync(await readFile(file));
  let opf = await zip.file('OEBPS/content.opf')!.async('string');
  for (const [index, { href, xhtml }] of documents.entries()) {
    if (zip.file(`OEBPS/${href}`)) throw new Error(`${file} already holds ${href}`);
    zip.file(`OEBPS/${href}`, xhtml);
    const id = `added-${index + 1}`;
    opf = opf
      .replace('</manifest>', `<item id="${id}" href="${href}" media-type="application/xhtml+xml"/></manifest>`)
      .replace('</spine>', `<itemref idref="${id}"/></spine>`);
  }
  zip.file('OEBPS/content.opf', opf);
  await writeFile(copy, await zip.generateAsync({ type: 'uint8array', mimeType: 'application/epub+zip' }));
}

/** The ARIA role each structural semantic galley writes must come with (DPUB-ARIA). */
const ROLE_OF_EPUB_TYPE: Record<string, string> = {
  chapter: 'doc-chapter',
  cover: 'doc-cover',
  footnote: 'doc-footnote',
  noteref: 'doc-noteref',
  backlink: 'doc-backlink',
  subtitle: 'doc-subtitle',
  toc: 'doc-toc',
  endnotes: 'doc-endnotes',
};

/**
 * Start tags whose epub:type lacks its matching role. Landmarks are left out: there epub:type
 * names the place a link leads to, and no role applies.
 */
export function epubTypesWithoutRole(xhtml: string): string[] {
  const outsideLandmarks = xhtml.replace(/<nav [^>]*epub:type="landmarks"[\s\S]*?<\/nav>/g, '');
  return [...outsideLandmarks.matchAll(/<[a-z]+\s[^>]*epub:type="([^"]+)"[^>]*>/g)]
    .filter(([tag, types]) =>
      types!.split(/\s+/).some((type) => ROLE_OF_EPUB_TYPE[type] && !new RegExp(`role="${ROLE_OF_EPUB_TYPE[type]}"`).test(tag)),
    )
    .map(([tag]) => tag);
}
