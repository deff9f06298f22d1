import type { RemoteAccess } from '../net/guarded-fetch.js';
import type { Format, Paper, PdfStandard } from './choices.js';
import type { DocumentSettingFlags } from './resolve.js';

/** The `index`-th (from 1) of `count` parts. */
export interface Shard {
  index: number;
  count: number;
}

/** What a build is asked to do, after the CLI flags have been checked (see flags-schema.ts). */
export interface BuildOptions extends DocumentSettingFlags {
  paths: string[];
  outDir: string;
  formats: Format[];
  templatesDir: string | undefined;
  browserPath: string | undefined;
  /** From --paper; wins over front matter `paper`. */
  paper: Paper | undefined;
  /** --pdf-standard: what the PDF is finished to meet and claims. */
  pdfStandard: PdfStandard;
  /** From --split-level; wins over front matter `split_level`. */
  splitLevel: number | undefined;
  /** Per document, from --timeout. */
  timeoutMs: number;
  maxDocumentBytes: number;
  maxImageBytes: number;
  /** --max-page-memory: a page (renderer or print compositor) that uses more is stopped, and its document fails. */
  maxPageMemoryBytes: number;
  /** --allow-remote: fetch http(s) resources, with `remoteAccess`'s limits and address policy. */
  allowRemote: boolean;
  remoteAccess: RemoteAccess;
  /** --link-base: relative links to files outside the edition become links under this address (wins over front matter). */
  linkBase?: string | undefined;
  /** Documents built at the same time (--jobs, default: the number of CPUs). */
  jobs: number;
  /** Rebuild even what is up to date (--force). */
  force: boolean;
  /** Replace an archived edition that holds other bytes, with a warning (--replace-archived). */
  replaceArchived: boolean;
  /** Also copy each edition into <out>/archive/<name>/<edition>/ (--archive). */
  archive: boolean;
  /** Connect to these running Chromes instead of launching one (--browser-ws, given once for each); empty: launch one. */
  browserWs: string[];
  /** --shard i/n: build only the i-th of n disjoint parts of the documents (see inShard). */
  shard?: Shard | undefined;
  verbose: boolean;
}

/**
 * The options that change what a document's outputs contain, as the manifest hashes them: the
 * flags as given, not the settings they resolve to (a change of shape changes every manifest).
 */
export function optionsInOutputs(options: BuildOptions): Record<string, unknown> {
  const { formats, paper, splitLevel, allowRemote, linkBase, pdfStandard } = options;
  const standard = pdfStandard === 'pdfa-3a' ? {} : { pdfStandard };
  return { formats, paper: paper ?? null, splitLevel: splitLevel ?? null, allowRemote, ...(linkBase ? { linkBase } : {}), ...standard };
}
