import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { GalleyError } from '../errors.js';
import { BOOK_KEYS, BookSchema, type BookItem } from '../settings/book-schema.js';
import type { BookPlan, PlanEntry } from './plan.js';

const MAX_PLAN_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 50;

/** Reads a `book.yaml`: its metadata and its chapters, each problem an error naming the line. */
export async function readBookYaml(root: string, planFile: string): Promise<BookPlan> {
  const text = await readPlanText(planFile);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const firstError = document.errors[0];
  if (firstError) {
    const message = firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    // An error found at the end of the text (an unclosed bracket) belongs to its last line.
    const lastLine = text.replace(/\n$/, '').split('\n').length;
    throw new GalleyError(`not valid YAML: ${message}`, { file: planFile, line: Math.min(firstError.linePos?.[0].line ?? 1, lastLine) });
  }
  if (!isMap(document.contents)) throw new GalleyError('must be a list of "key: value" lines, with chapters:', { file: planFile, line: 1 });
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new GalleyError(`not accepted: ${error instanceof Error ? error.message : String(error)}`, { file: planFile, line: 1 });
  }
  const result = v.safeParse(BookSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const keys = (issue.path ?? []).map((item) => item.key as string | number);
    const where = keys
      .map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`))
      .join('')
      .replace(/^\./, '');
    throw new GalleyError(`"${where}" ${issue.message}`, { file: planFile, line: lineOf(nodeAt(document, keys)?.[0]) ?? 1 });
  }
  const warnings = Object.keys(data as object)
    .filter((key) => !BOOK_KEYS.includes(key))
    .map((key) => ({
      file: planFile,
      notice: { line: lineOf(nodeAt(document, [key], true)?.[0]), message: `unknown key "${key}" is ignored` },
    }));
  const { chapters, chapter_start, ...metadata } = result.output;
  const entries = toEntries(chapters, ['chapters'], (keys) => lineOf(nodeAt(document, keys)?.[0]) ?? 1);
  return { root, planFile, chapterDir: root, planFiles: [planFile], metadata, chapterStart: chapter_start ?? 'next', entries, warnings };
}

export async function readPlanText(planFile: string): Promise<string> {
  const bytes = await readFile(planFile).catch(() => {
    throw new GalleyError('cannot be read', { file: planFile });
  });
  if (bytes.byteLength > MAX_PLAN_BYTES)
    throw new GalleyError('is larger than 1 MB: is it really the list of chapters?', { file: planFile });
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\uFFFD'))
    throw new GalleyError('is not valid UTF-8', { file: planFile, line: text.slice(0, text.indexOf('\uFFFD')).split('\n').length });
  return text;
}

/** The source range of the YAML node at `keys` (of its key, with `key`), or of the nearest node above it. */
function nodeAt(document: Document, keys: (string | number)[], key = false): [number, number, number] | undefined {
  for (let length = keys.length; length >= 0; length -= 1) {
    const node = document.getIn(keys.slice(0, length), true);
    if (key && length === keys.length && isMap(document.contents)) {
      const pair = document.contents.items.find((item) => isNode(item.key) && String((item.key as { value?: unknown }).value) === keys[0]);
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range;
    }
    if (isNode(node) && node.range) return node.range;
  }
  return undefined;
}

function toEntries(items: BookItem[], at: (string | number)[], lineOf: (keys: (string | number)[]) => number): PlanEntry[] {
  return items.map((item, index): PlanEntry => {
    const keys = [...at, index];
    const line = lineOf(keys);
    if (typeof item === 'string') return { kind: 'chapter', file: item, title: undefined, line, children: [] };
    if ('part' in item) return { kind: 'part', title: item.part, line, children: toEntries(item.chapters, [...keys, 'chapters'], lineOf) };
    return {
      kind: 'chapter',
      file: item.file,
      title: item.title,
      line,
      children: toEntries(item.chapters ?? [], [...keys, 'chapters'], lineOf),
    };
  });
}
