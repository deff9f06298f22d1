import * as v from 'valibot';
import { isPublicAddress } from '../net/guarded-fetch.js';
import type { BuildOptions } from './build-options.js';
import { FORMATS, isPaper, PAPER_SIZES, PDF_STANDARDS, parseFormats, type Paper, type PdfStandard } from './choices.js';
import { DEFAULTS, defaultJobs, MEGABYTE } from './defaults.js';

/** The defaults as the flags write them (seconds, megabytes), for the schema and for --help. */
export const FLAG_DEFAULTS = {
  paths: DEFAULTS.paths,
  out: DEFAULTS.outDir,
  format: DEFAULTS.formats.join(','),
  timeout: String(DEFAULTS.timeoutMs / 1000),
  maxDocumentSize: String(DEFAULTS.maxDocumentBytes / MEGABYTE),
  maxImageSize: String(DEFAULTS.maxImageBytes / MEGABYTE),
  maxPageMemory: String(DEFAULTS.maxPageMemoryBytes / MEGABYTE),
} as const;

type Message = (issue: v.BaseIssue<unknown>) => string;

/** A flag's positive number, in the flag's unit, times `scale` (1000 for seconds to milliseconds). */
function positiveNumber(flag: string, scale: number) {
  const message: Message = (issue) => `${flag} takes a positive number, not "${String(issue.input)}"`;
  return v.pipe(
    v.string(message),
    v.check((value) => Number.isFinite(Number(value)) && Number(value) > 0, message),
    v.transform((value) => Number(value) * scale),
  );
}

function wholeNumber(flag: string, max: number) {
  const message: Message = (issue) => `${flag} takes a whole number from 1 to ${max}, not "${String(issue.input)}"`;
  return v.pipe(
    v.string(message),
    v.check((value) => Number.isInteger(Number(value)) && Number(value) >= 1 && Number(value) <= max, message),
    v.transform(Number),
  );
}

const formatList = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const formats = parseFormats(dataset.value);
    if (!('unknown' in formats)) return formats;
    addIssue({ message: `unknown format "${formats.unknown}" (choose from ${FORMATS.join(', ')})` });
    return NEVER;
  }),
);

const paperMessage: Message = (issue) => `unknown paper "${String(issue.input)}" (choose from ${PAPER_SIZES.join(', ')})`;
const paper = v.pipe(
  v.string(paperMessage),
  v.check((value) => isPaper(value.toLowerCase()), paperMessage),
  v.transform((value) => value.toLowerCase() as Paper),
);

const pdfStandardMessage: Message = (issue) => `unknown PDF standard "${String(issue.input)}" (choose from ${PDF_STANDARDS.join(', ')})`;
const pdfStandard = v.pipe(
  v.string(pdfStandardMessage),
  v.check((value) => (PDF_STANDARDS as readonly string[]).includes(value.toLowerCase()), pdfStandardMessage),
  v.transform((value) => value.toLowerCase() as PdfStandard),
);

const linkBaseMessage: Message = (issue) => `--link-base takes an http or https address, not "${String(issue.input)}"`;
/** --link-base: an absolute http(s) address, kept as a folder (ending in /) so that links resolve under it. */
const linkBase = v.pipe(
  v.string(linkBaseMessage),
  v.check((value) => ['http:', 'https:'].includes(parsedUrl(value)?.protocol ?? ''), linkBaseMessage),
  v.transform((value) => {
    const { href } = new URL(value);
    return href.endsWith('/') ? href : `${href}/`;
  }),
);

const shardMessage: Message = (issue) =>
  `--shard takes i/n, the i-th of n parts with 1 ≤ i ≤ n (such as 2/3), not "${String(issue.input)}"`;
/** --shard i/n: which of n disjoint parts of the documents this run builds. */
const shard = v.pipe(
  v.string(shardMessage),
  v.check(isShard, shardMessage),
  v.transform((value) => {
    const [index, count] = value.split('/').map(Number) as [number, number];
    return { index, count };
  }),
);

function isShard(value: string): boolean {
  const [index = 0, count = 0] = /^\d{1,6}\/\d{1,6}$/.test(value) ? value.split('/').map(Number) : [];
  return index >= 1 && index <= count;
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const onOff = v.optional(v.boolean(), false);

/**
 * Every flag of `build` and `watch`, as commander gives them (text), into values. The first flag
 * that is wrong is the one reported, in this order.
 */
const BuildFlagsSchema = v.object({
  paths: v.optional(v.array(v.string()), () => [...FLAG_DEFAULTS.paths]),
  format: v.optional(formatList, FLAG_DEFAULTS.format),
  paper: v.optional(paper),
  pdfStandard: v.optional(pdfStandard, DEFAULTS.pdfStandard),
  timeout: v.optional(positiveNumber('--timeout', 1000), FLAG_DEFAULTS.timeout),
  maxImageSize: v.optional(positiveNumber('--max-image-size', MEGABYTE), FLAG_DEFAULTS.maxImageSize),
  splitLevel: v.optional(wholeNumber('--split-level', 6)),
  maxDocumentSize: v.optional(positiveNumber('--max-document-size', MEGABYTE), FLAG_DEFAULTS.maxDocumentSize),
  maxPageMemory: v.optional(positiveNumber('--max-page-memory', MEGABYTE), FLAG_DEFAULTS.maxPageMemory),
  linkBase: v.optional(linkBase),
  jobs: v.optional(wholeNumber('--jobs', 64)),
  out: v.optional(v.string(), FLAG_DEFAULTS.out),
  templates: v.optional(v.string()),
  browser: v.optional(v.string()),
  browserWs: v.optional(v.union([v.string(), v.array(v.string())])),
  shard: v.optional(shard),
  allowRemote: onOff,
  force: onOff,
  replaceArchived: onOff,
  archive: onOff,
  quiet: onOff,
  json: onOff,
  verbose: onOff,
});

export type BuildFlags = v.InferInput<typeof BuildFlagsSchema>;
type CheckedFlags = v.InferOutput<typeof BuildFlagsSchema>;

/** The flags read: the build's options, and how the run is reported. */
export interface ReadFlags {
  options: BuildOptions;
  quiet: boolean;
  json: boolean;
}

/** Checks the flags; a wrong one gives the usage error to print. */
export function readBuildFlags(flags: BuildFlags): ReadFlags | { usageError: string } {
  const result = v.safeParse(BuildFlagsSchema, flags, { abortEarly: true });
  if (!result.success) return { usageError: result.issues[0].message };
  return { options: toBuildOptions(result.output), quiet: result.output.quiet, json: result.output.json };
}

function toBuildOptions(flags: CheckedFlags): BuildOptions {
  return {
    paths: flags.paths,
    outDir: flags.out,
    formats: flags.format,
    templatesDir: flags.templates,
    browserPath: flags.browser,
    browserWs: typeof flags.browserWs === 'string' ? [flags.browserWs] : (flags.browserWs ?? []),
    shard: flags.shard,
    paper: flags.paper,
    pdfStandard: flags.pdfStandard,
    splitLevel: flags.splitLevel,
    timeoutMs: flags.timeout,
    maxDocumentBytes: flags.maxDocumentSize,
    maxImageBytes: flags.maxImageSize,
    maxPageMemoryBytes: flags.maxPageMemory,
    allowRemote: flags.allowRemote,
    linkBase: flags.linkBase,
    remoteAccess: {
      maxBytes: flags.maxImageSize,
      timeoutMs: Math.min(flags.timeout, DEFAULTS.remoteTimeoutMs),
      allowAddress: isPublicAddress,
    },
    // Not a default of the schema's: --jobs is at most 64, a machine may have more CPUs.
    jobs: flags.jobs ?? defaultJobs(),
    force: flags.force,
    replaceArchived: flags.replaceArchived,
    archive: flags.archive,
    verbose: flags.verbose,
  };
}

/** The options of `galley build` with no flags at all. */
export function defaultBuildOptions(): BuildOptions {
  const read = readBuildFlags({});
  if ('usageError' in read) throw new Error(`galley's own defaults are refused: ${read.usageError}`);
  return read.options;
}
