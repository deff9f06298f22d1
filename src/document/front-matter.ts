import * as v from 'valibot';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { GalleyError } from '../errors.js';
import { FRONT_MATTER_KEYS, FrontMatterSchema, type FrontMatter } from '../settings/front-matter-schema.js';
import type { Notice } from './model.js';

export interface SplitSource {
  frontMatter: FrontMatter;
  body: string;
  /** Line of the source file on which `body` starts (1-based). */
  bodyStartLine: number;
  /** Line of each front matter key. */
  keyLines: Map<string, number>;
  warnings: Notice[];
}

const OPENER = /^---(?:[ \t]*|[ \t]*([A-Za-z][\w+.-]*)[ \t]*)\r?\n/;
const CLOSER = /^(?:---|\.\.\.)[ \t]*$/m;
const YAML_LANGUAGES = ['', 'yaml', 'yml'];
/** A YAML mapping's first line: `key:` followed by a space or the end of the line (a key may be quoted). */
const KEY_LINE = /^(?:[\p{L}_][\p{L}\p{N}_.-]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|$)/u;
const COMMENT_LINE = /^#/;
/** YAML aliases resolved at most: a few are ordinary, thousands are an alias bomb. */
const MAX_ALIAS_COUNT = 50;

/**
 * Splits YAML front matter off a Markdown source and checks it against the schema. As in pandoc,
 * a first line `---` is front matter only when what follows starts like YAML (a `key:` line, or
 * comments then one, or the closing line at once); otherwise it is a thematic break.
 */
export function splitFrontMatter(source: string): SplitSource {
  const opener = OPENER.exec(source);
  const markdownOnly = { frontMatter: {}, body: source, bodyStartLine: 1, keyLines: new Map(), warnings: [] };
  if (!opener) return markdownOnly;

  const language = (opener[1] ?? '').trim().toLowerCase();
  if (!YAML_LANGUAGES.includes(language)) {
    throw new GalleyError(`front matter in "${language}" is not accepted: galley reads YAML front matter only (open it with ---)`, {
      line: 1,
    });
  }
  const rest = source.slice(opener[0].length);
  if (language === '' && !startsLikeYaml(rest)) return markdownOnly;
  const closer = CLOSER.exec(rest);
  if (!closer) throw new GalleyError('front matter is never closed: end it with a line holding only ---', { line: 1 });

  const yamlText = rest.slice(0, closer.index);
  const afterCloser = rest.slice(closer.index + closer[0].length).replace(/^\r?\n/, '');
  const yamlLines = yamlText.split('\n').length - (yamlText.endsWith('\n') || yamlText === '' ? 1 : 0);
  const bodyStartLine = 1 + yamlLines + 2;

  const { data, keyLines } = parseYaml(yamlText, 1 + yamlLines);
  const warnings: Notice[] = Object.keys(data)
    .filter((key) => !FRONT_MATTER_KEYS.includes(key))
    .map((key) => ({ line: keyLines.get(key), message: `unknown front matter key "${key}" is ignored` }));

  const result = v.safeParse(FrontMatterSchema, data);
  if (!result.success) {
    const issue = result.issues[0];
    const key = String(issue.path?.[0]?.key ?? '');
    throw new GalleyError(`front matter "${key}" ${issue.message}`, { line: keyLines.get(key) });
  }
  return { frontMatter: result.output, body: afterCloser, bodyStartLine, keyLines, warnings };
}

function startsLikeYaml(text: string): boolean {
  for (const line of text.split(/\r?\n/, 50)) {
    if (COMMENT_LINE.test(line)) continue;
    return KEY_LINE.test(line) || CLOSER.test(line);
  }
  return false;
}

/** Parses the YAML between the fences; lines are counted from the file's first line. */
function parseYaml(yamlText: string, lastLine: number): { data: Record<string, unknown>; keyLines: Map<string, number> } {
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    // An error found at the end of the text (an unclosed bracket) belongs to the last line of YAML.
    const line = Math.min((firstError.linePos?.[0].line ?? 1) + 1, Math.max(lastLine, 2));
    const message = firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new GalleyError(`front matter is not valid YAML: ${message}`, { line });
  }
  if (document.contents === null) return { data: {}, keyLines: new Map() };
  if (!isMap(document.contents)) throw new GalleyError('front matter must be a list of "key: value" lines', { line: 2 });

  const keyLines = new Map<string, number>();
  for (const pair of document.contents.items) {
    if (isScalar(pair.key) && pair.key.range) {
      keyLines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line + 1);
    }
  }
  let data: Record<string, unknown>;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
  } catch (error) {
    // The yaml package refuses an alias bomb ("billion laughs") while turning it into values.
    const message = error instanceof Error ? error.message : String(error);
    throw new GalleyError(`front matter is not accepted: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, { line: 2 });
  }
  return { data, keyLines };
}
