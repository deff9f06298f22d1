import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';
import type { Notice } from '../document/model.js';

/** mdBook's directives: `{{#include …}}` and the others; a backslash before one keeps it as written. */
const DIRECTIVE = /(\\?)\{\{#([a-z_]+)(?:[ \t]+([^}]*?))?[ \t]*\}\}/g;
const INCLUDES = new Set(['include', 'rustdoc_include']);
/** mdBook's own limit on includes inside included files. */
const MAX_DEPTH = 10;
const ANCHOR_LINE = /\bANCHOR(?:_END)?:\s*[\w-]+/;

export interface IncludeLimits {
  /** The book's folder: no file outside it is read. */
  root: string;
  maxBytes: number;
}

/** A chapter's text with its includes expanded, and where each of its lines came from. */
export interface ExpandedText {
  text: string;
  /** For each line of `text` (0-based), the line of the chapter (1-based) it comes from: an included line, the directive's. */
  lines: number[];
  /** The files read for it, each once. */
  included: { path: string; bytes: Buffer }[];
  warnings: Notice[];
}

/**
 * Expands `{{#include file}}`, `{{#include file:anchor}}`, `{{#include file:2:10}}` (and `:2`, `:2:`,
 * `::10`) and `{{#rustdoc_include …}}` as mdBook does, from files inside the book's folder, paths
 * relative to the including file. Other directives stay as written, with a warning.
 */
export async function expandIncludes(body: string, file: string, firstLine: number, limits: IncludeLimits): Promise<ExpandedText> {
  const included = new Map<string, Buffer>();
  const warnings: Notice[] = [];
  const pieces: { text: string; line: number }[] = [];
  const lines = body.split('\n');
  for (const [index, text] of lines.entries()) {
    const line = firstLine + index;
    const expanded = await expandLine(text, path.dirname(file), line, limits, included, warnings, [file], 0);
    pieces.push({ text: expanded, line });
  }
  const mapped: number[] = [];
  for (const piece of pieces) for (const _ of piece.text.split('\n')) mapped.push(piece.line);
  return {
    text: pieces.map((piece) => piece.text).join('\n'),
    lines: mapped,
    included: [...included].map(([includedPath, bytes]) => ({ path: includedPath, bytes })),
    warnings,
  };
}

async function expandLine(
  text: string,
  dir: string,
  line: number,
  limits: IncludeLimits,
  included: Map<string, Buffer>,
  warnings: Notice[],
  chain: string[],
  depth: number,
): Promise<string> {
  let result = '';
  let last = 0;
  for (const match of text.matchAll(DIRECTIVE)) {
    const [whole, backslash, name, argument = ''] = match;
    result += text.slice(last, match.index);
    last = match.index + whole.length;
    if (backslash) {
      result += whole.slice(1);
      continue;
    }
    if (!INCLUDES.has(name!)) {
      warnings.push({
        line,
        message: `the mdBook directive {{#${name}}} is left as written: galley expands only {{#include}} and {{#rustdoc_include}}`,
      });
      result += whole;
      continue;
    }
    const { file, selection } = parseArgument(argument, line);
    const target = await readIncluded(file, dir, line, limits, chain);
    included.set(target.path, target.bytes);
    let content = select(target.text, selection, file, line);
    if (depth + 1 < MAX_DEPTH) {
      const parts: string[] = [];
      for (const inner of content.split('\n'))
        parts.push(
          await expandLine(inner, path.dirname(target.path), line, limits, included, warnings, [...chain, target.path], depth + 1),
        );
      content = parts.join('\n');
    }
    result += content;
  }
  return result + text.slice(last);
}

type Selection = { kind: 'all' } | { kind: 'lines'; from: number; to: number | undefined } | { kind: 'anchor'; name: string };

function parseArgument(argument: string, line: number): { file: string; selection: Selection } {
  const [file = '', ...rest] = argument.trim().split(':');
  if (file === '') throw new GalleyError('{{#include}} needs a file: {{#include file.rs}}', { line });
  if (rest.length === 0) return { file, selection: { kind: 'all' } };
  const [first = '', second] = rest;
  const number = (value: string) => (value === '' ? undefined : Number(value));
  if (rest.length === 1 && first !== '' && !/^\d+$/.test(first)) return { file, selection: { kind: 'anchor', name: first } };
  const from = number(first);
  const to = rest.length === 1 ? from : number(second ?? '');
  if ([from, to].some((value) => value !== undefined && (!Number.isInteger(value) || value < 1)))
    throw new GalleyError(`{{#include ${argument.trim()}}}: lines are numbers from 1, as in file.rs:2:10`, { line });
  return { file, selection: { kind: 'lines', from: from ?? 1, to } };
}

async function readIncluded(
  written: string,
  dir: string,
  line: number,
  limits: IncludeLimits,
  chain: string[],
): Promise<{ path: string; bytes: Buffer; text: string }> {
  const resolved = await realpath(path.resolve(dir, written)).catch(() => {
    throw new GalleyError(`{{#include ${written}}}: no such file`, { line });
  });
  const relative = path.relative(limits.root, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new GalleyError(`{{#include ${written}}}: the file is outside the book's folder`, { line });
  if (chain.includes(resolved)) throw new GalleyError(`{{#include ${written}}}: the file includes itself`, { line });
  const info = await stat(resolved);
  if (!info.isFile()) throw new GalleyError(`{{#include ${written}}}: not a regular file`, { line });
  if (info.size > limits.maxBytes) throw new GalleyError(`{{#include ${written}}}: the file is larger than --max-document-size`, { line });
  const bytes = await readFile(resolved);
  const text = new TextDecoder('utf-8').decode(bytes);
  if (text.includes('\uFFFD')) throw new GalleyError(`{{#include ${written}}}: the file is not valid UTF-8`, { line });
  return { path: resolved, bytes, text: text.replace(/\r?\n$/, '') };
}

/** The lines chosen, without mdBook's anchor lines. */
function select(text: string, selection: Selection, file: string, line: number): string {
  const lines = text.split(/\r?\n/);
  let chosen = lines;
  if (selection.kind === 'lines') chosen = lines.slice(selection.from - 1, selection.to);
  if (selection.kind === 'anchor') {
    const start = lines.findIndex((text) => new RegExp(`\\bANCHOR:\\s*${escapeRegExp(selection.name)}\\b`).test(text));
    if (start < 0) throw new GalleyError(`{{#include ${file}:${selection.name}}}: the file has no ANCHOR: ${selection.name}`, { line });
    const end = lines.findIndex(
      (text, index) => index > start && new RegExp(`\\bANCHOR_END:\\s*${escapeRegExp(selection.name)}\\b`).test(text),
    );
    chosen = lines.slice(start + 1, end < 0 ? undefined : end);
  }
  return chosen.filter((text) => !ANCHOR_LINE.test(text)).join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
