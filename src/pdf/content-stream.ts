/**
 * A reader for PDF content streams (ISO 32000-1, 7.8.2): it splits a stream into its operations,
 * each an operator with the operands before it, as offsets into the stream's text. Strings,
 * arrays, dictionaries and inline images are skipped whole, so an operator is never found inside
 * them. The text is the stream's bytes read as Latin-1, one character per byte.
 */
export interface Operation {
  operator: string;
  /** Where its first operand (or the operator itself) starts. */
  start: number;
  /** Just after the operator (and, for an inline image, after its `EI`). */
  end: number;
}

/** The operators that show text (ISO 32000-1, 9.4.3). */
export const TEXT_SHOW = new Set(['Tj', 'TJ', "'", '"']);

const WHITESPACE = new Set(['\0', '\t', '\n', '\f', '\r', ' ']);
const DELIMITERS = new Set(['(', ')', '<', '>', '[', ']', '{', '}', '/', '%']);

export function readOperations(content: string): Operation[] {
  const operations: Operation[] = [];
  let operandsStart = -1;
  for (let at = skipSpace(content, 0); at < content.length; at = skipSpace(content, at)) {
    const tokenEnd = skipToken(content, at);
    const isOperator = isRegular(content[at]!) && !/^[+\-.\d]/.test(content[at]!);
    if (operandsStart < 0) operandsStart = at;
    if (!isOperator) {
      at = tokenEnd;
      continue;
    }
    const operator = content.slice(at, tokenEnd);
    const end = operator === 'BI' ? inlineImageEnd(content, tokenEnd) : tokenEnd;
    operations.push({ operator, start: operandsStart, end });
    operandsStart = -1;
    at = end;
  }
  return operations;
}

function isRegular(char: string): boolean {
  return !WHITESPACE.has(char) && !DELIMITERS.has(char);
}

function skipSpace(content: string, from: number): number {
  let at = from;
  while (at < content.length) {
    if (WHITESPACE.has(content[at]!)) at += 1;
    else if (content[at] === '%') while (at < content.length && content[at] !== '\n' && content[at] !== '\r') at += 1;
    else break;
  }
  return at;
}

/** The end of the token that starts at `at`: a name, number, operator, string, array or dictionary. */
function skipToken(content: string, at: number): number {
  const char = content[at]!;
  if (char === '(') return skipLiteralString(content, at);
  if (char === '<' && content[at + 1] === '<') return skipNested(content, at, '<<', '>>');
  if (char === '<') return content.indexOf('>', at) + 1 || content.length;
  if (char === '[') return skipNested(content, at, '[', ']');
  if (char === '/') {
    let end = at + 1;
    while (end < content.length && isRegular(content[end]!)) end += 1;
    return end;
  }
  let end = at + 1;
  while (end < content.length && isRegular(content[end]!)) end += 1;
  return end;
}

function skipLiteralString(content: string, at: number): number {
  let depth = 0;
  for (let index = at; index < content.length; index += 1) {
    const char = content[index];
    if (char === '\\') index += 1;
    else if (char === '(') depth += 1;
    else if (char === ')' && --depth === 0) return index + 1;
  }
  return content.length;
}

/** Arrays and dictionaries, which may hold strings and each other. */
function skipNested(content: string, at: number, open: string, close: string): number {
  let index = at + open.length;
  for (index = skipSpace(content, index); index < content.length; index = skipSpace(content, index)) {
    if (content.startsWith(close, index)) return index + close.length;
    index = skipToken(content, index);
  }
  return content.length;
}

/** An inline image's data runs from `ID` to an `EI` standing alone. */
function inlineImageEnd(content: string, from: number): number {
  const data = content.indexOf('ID', from);
  const end = /\sEI(?=[\s]|$)/g;
  end.lastIndex = data < 0 ? from : data + 3;
  const match = end.exec(content);
  return match ? match.index + match[0].length : content.length;
}
