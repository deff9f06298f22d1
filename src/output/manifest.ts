import { createHash } from 'node:crypto';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import * as v from 'valibot';
import type { DocumentModel } from '../document/model.js';
import { FORMATS } from '../settings/choices.js';
import type { TemplateSet } from '../render/templates.js';
import { manifestPath } from './paths.js';

const SHA256 = /^[0-9a-f]{64}$/;
const sha256Hex = v.pipe(v.string('must be a SHA-256'), v.regex(SHA256, 'must be a SHA-256 (64 lowercase hexadecimal digits)'));
const text = v.string('must be text');
const count = (what: string) =>
  v.pipe(v.number(`must be a number of ${what}`), v.integer(`must be a whole number of ${what}`), v.minValue(0, `must not be negative`));

/** Why an output's `file` is not a plain relative path inside the manifest's folder, if it is not. */
function outputPathProblem(file: string): string | undefined {
  if (file === '') return 'is empty';
  if (/[\u0000-\u001F\u007F]/.test(file)) return 'contains a control character';
  if (file.includes('\\')) return 'contains a backslash';
  if (path.posix.isAbsolute(file) || path.win32.isAbsolute(file)) return 'is an absolute path';
  const segments = file.split('/');
  if (segments.includes('..')) return 'leaves the folder';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'is not a plain relative path';
  return undefined;
}

const outputFile = v.pipe(
  v.string('must be a file name'),
  v.check(
    (file) => outputPathProblem(file) === undefined,
    (issue) => `${JSON.stringify(issue.input)} ${outputPathProblem(String(issue.input))}`,
  ),
);

const OutputRecordSchema = v.object(
  {
    format: v.picklist(FORMATS, `must be one of ${FORMATS.join(', ')}`),
    file: outputFile,
    sha256: sha256Hex,
    bytes: count('bytes'),
    pages: v.optional(count('pages')),
    chapters: v.optional(count('chapters')),
  },
  'must be an object',
);

/** Everything an edition is made from. The same inputs give the same outputs. */
const BuildInputsSchema = v.object(
  {
    galley: text,
    options: v.record(v.string(), v.unknown(), 'must be an object'),
    templates: sha256Hex,
    source: sha256Hex,
    images: v.record(v.string(), sha256Hex, 'must be an object'),
    sourceDateEpoch: v.nullable(text),
    /** The source's modification time, when the edition's dates come from it (no date, updated or SOURCE_DATE_EPOCH). */
    modified: v.optional(v.nullable(text)),
  },
  'must be an object',
);

/** A file the edition was made from, by its path from the document's place (see sourceBase). */
const FileReadSchema = v.object({ sha256: sha256Hex, mtimeMs: v.number('must be a time') }, 'must be an object');

/** `<out>/<name>.manifest.json`: what an edition was built from and what it holds. Read as input: it may be broken or tampered with. */
const ManifestSchema = v.object(
  {
    manifest: v.literal(1, (issue) => `is ${JSON.stringify(issue.input)}, not a manifest version this galley reads`),
    source: v.object({ file: text, sha256: sha256Hex }, 'must be an object'),
    inputs: BuildInputsSchema,
    inputsSha256: sha256Hex,
    outputs: v.array(OutputRecordSchema, 'must be a list'),
    /** Every file read, so that a rebuild can tell an unchanged document without parsing it. */
    read: v.optional(v.record(v.string(), FileReadSchema, 'must be an object')),
  },
  'is not a galley manifest (not a JSON object)',
);

export type BuildInputs = v.InferOutput<typeof BuildInputsSchema>;
export type OutputRecord = v.InferOutput<typeof OutputRecordSchema>;
export type Manifest = v.InferOutput<typeof ManifestSchema>;
export type FilesRead = Record<string, v.InferOutput<typeof FileReadSchema>>;

/** A manifest as read: the manifest, or what is wrong with it (`missing` when there is none). */
export type ManifestReading = { manifest: Manifest; problem?: undefined } | { manifest?: undefined; problem: string };

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export { manifestPath };

/** One hash over every template file, for every document built with them. */
export async function templatesHash(templates: Pick<TemplateSet, 'files'>): Promise<string> {
  const hash = createHash('sha256');
  for (const [name, file] of Object.entries(templates.files).sort(([a], [b]) => a.localeCompare(b))) {
    hash
      .update(`${name}\0`)
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Everything the edition is made from; its images' hashes are those of `read` (filesRead, from `base`), each file read once. */
export function documentInputs(
  doc: DocumentModel,
  context: { galley: string; options: Record<string, unknown>; templates: string },
  read: FilesRead,
  base: string,
): BuildInputs {
  const images: Record<string, string> = {};
  const resources = [...doc.images.values(), ...(doc.cover ? [{ ...doc.cover, src: `cover:${doc.cover.src}` }] : [])];
  for (const image of resources) images[image.src] = read[readKey(base, image.path)]!.sha256;
  const sourceDateEpoch = process.env.SOURCE_DATE_EPOCH ?? null;
  const datedByFile = !sourceDateEpoch && !doc.metadata.date && !doc.metadata.updated;
  return {
    ...context,
    source: sourcesHash(doc),
    images,
    sourceDateEpoch,
    modified: datedByFile ? doc.modified.toISOString() : null,
  };
}

/** Where the paths of a manifest's `read` start: a book's folder, or a Markdown file's. */
export async function sourceBase(sourcePath: string): Promise<string> {
  const given = (await stat(sourcePath).catch(() => undefined))?.isDirectory() ? sourcePath : path.dirname(sourcePath);
  return realpath(given).catch(() => path.resolve(given));
}

/** Every file the document was made from (its sources, images and cover), with its hash and modification time. */
export async function filesRead(doc: DocumentModel, base: string): Promise<FilesRead> {
  const read: FilesRead = {};
  const note = async (file: string, bytes?: Uint8Array) => {
    const real = await realpath(file).catch(() => path.resolve(file));
    const [contents, info] = await Promise.all([bytes ?? readFile(real), stat(real)]);
    read[readKey(base, real)] = { sha256: sha256(contents), mtimeMs: info.mtimeMs };
  };
  for (const source of doc.sources) await note(source.path, source.bytes);
  for (const image of [...doc.images.values(), ...(doc.cover ? [doc.cover] : [])]) await note(image.path);
  return read;
}

/** A file's key in `read`: its path from `base`, with `/` (images' paths are real paths already). */
function readKey(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).join('/');
}

/**
 * The files of an edition, when its manifest shows, without parsing anything, that it would be
 * built again from the same inputs: the same galley, options, templates and SOURCE_DATE_EPOCH, and
 * every file it read with the same contents (and, when its dates come from the source's
 * modification time, the same times). Undefined when any of that differs, or cannot be told.
 */
export async function unchangedFiles(
  manifest: Manifest,
  base: string,
  context: { galley: string; options: Record<string, unknown>; templates: string },
): Promise<string[] | undefined> {
  const { inputs, read } = manifest;
  if (!read || inputs.modified === undefined) return undefined;
  if (inputs.galley !== context.galley || inputs.templates !== context.templates) return undefined;
  if (JSON.stringify(inputs.options) !== JSON.stringify(context.options)) return undefined;
  if (inputs.sourceDateEpoch !== (process.env.SOURCE_DATE_EPOCH ?? null)) return undefined;
  // A manifest is input too: a path that would leave the document's place is never read.
  if (Object.keys(read).some((relative) => outputPathProblem(relative) !== undefined)) return undefined;
  const files = Object.keys(read).map((relative) => path.resolve(base, relative));
  const same = await Promise.all(
    Object.values(read).map(async ({ sha256: hash, mtimeMs }, index) => {
      const file = files[index]!;
      const [contents, info] = await Promise.all([readFile(file), stat(file)]).catch(() => [undefined, undefined]);
      if (!contents || sha256(contents) !== hash) return false;
      return inputs.modified === null || info?.mtimeMs === mtimeMs;
    }),
  );
  return same.every(Boolean) ? files : undefined;
}

/** A document's one file is hashed as it is; a book's files by name and contents, in reading order. */
function sourcesHash(doc: DocumentModel): string {
  const [only, ...others] = doc.sources;
  if (only && others.length === 0) return sha256(only.bytes);
  const hash = createHash('sha256');
  for (const file of doc.sources) hash.update(`${file.name}\0`).update(file.bytes).update('\0');
  return hash.digest('hex');
}

const MANIFEST_MAX_BYTES = 16 * 1024 * 1024;

export async function readManifest(file: string): Promise<ManifestReading> {
  let text: string;
  try {
    const info = await stat(file);
    if (info.size > MANIFEST_MAX_BYTES) return { problem: `is ${info.size} bytes, too large for a galley manifest` };
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? String(error)})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `is not JSON (${(error as Error).message})` };
  }
  const result = v.safeParse(ManifestSchema, data, { abortEarly: true });
  return result.success ? { manifest: result.output } : { problem: describeIssue(result.issues[0]) };
}

/** `outputs[0].file "../x" leaves the folder`: where in the manifest, and what is wrong there. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const where = (issue.path ?? [])
    .map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`))
    .join('')
    .replace(/^\./, '');
  if (!where) return issue.message;
  const missing = issue.kind === 'schema' && issue.type === 'object' && issue.received === 'undefined';
  return `${where} ${missing ? 'is missing' : issue.message}`;
}

/**
 * Reads an output a manifest names, from inside the manifest's folder only: a symbolic link that
 * leads out of it, or anything but a regular file, is refused without being read.
 */
export async function readRecordedOutput(
  folder: string,
  file: string,
): Promise<{ bytes: Buffer; problem?: undefined } | { problem: string }> {
  try {
    const [realFolder, real] = await Promise.all([realpath(folder), realpath(path.join(folder, file))]);
    const relative = path.relative(realFolder, real);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative))
      return { problem: 'is a link to a file outside the folder' };
    if (!(await stat(real)).isFile()) return { problem: 'is not a regular file' };
    return { bytes: await readFile(real) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? String(error)})` };
  }
}

/** Outputs are up to date when they were built from the same inputs and are still there, whole. */
export async function isUpToDate(manifest: Manifest | undefined, inputsSha256: string, outDir: string): Promise<boolean> {
  if (!manifest || manifest.inputsSha256 !== inputsSha256) return false;
  for (const output of manifest.outputs) {
    const info = await lstat(path.join(outDir, output.file)).catch(() => undefined);
    if (!info?.isFile() || info.size !== output.bytes) return false;
  }
  return true;
}
