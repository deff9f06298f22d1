import os from 'node:os';
import type { Format, Paper, PdfStandard } from './choices.js';

export const MEGABYTE = 1024 * 1024;

interface Defaults {
  paths: readonly string[];
  outDir: string;
  formats: readonly Format[];
  paper: Paper;
  pdfStandard: PdfStandard;
  timeoutMs: number;
  maxDocumentBytes: number;
  maxImageBytes: number;
  maxPageMemoryBytes: number;
  /** A download's time limit: this, or the document's own limit when that is shorter. */
  remoteTimeoutMs: number;
  /** The folder `galley verify` checks. */
  verifyDir: string;
}

/** What galley does when neither a flag nor the front matter says, in the units galley works in. */
export const DEFAULTS: Defaults = {
  paths: ['content'],
  outDir: 'output',
  formats: ['pdf', 'epub'],
  paper: 'a4',
  pdfStandard: 'pdfa-3a',
  timeoutMs: 60_000,
  maxDocumentBytes: 10 * MEGABYTE,
  maxImageBytes: 50 * MEGABYTE,
  maxPageMemoryBytes: 2048 * MEGABYTE,
  remoteTimeoutMs: 20_000,
  verifyDir: 'output',
};

/** Documents built at the same time: one for each CPU. */
export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism());
}

/** Where chapters start in a document with `#` or `##` headings. */
export const DEFAULT_SPLIT_LEVEL = 2;
