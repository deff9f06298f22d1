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

/** Each byte's class (ISO 32000-1, 7.2.2): regular, white-space or delimiter; looked up by char code, as the lexer runs over every byte of every page. */
const REGULAR = 0;
const WHITESPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const char of '\0\t\n\f\r ') CLASS[char.charCodeAt(0)] = WHITESPACE;
for (const char of '()<>[]{}/%') CLASS[char.charCodeAt(0)] = DELIMITER;
const classOf = (content: string, at: number): number => CLASS[content.charCodeAt(at) & 0xff]!;
/** The first byte of a number: a sign, a point or a digit. */
const startsNumber = (code: number): boolean => code === 0x2b || code === 0x2d || code === 0x2e || (code >= 0x30 && code <= 0x39);

export function readOperations(content: string): Operation[] {
  const operations: Operation[] = [];
  let operandsStart = -1;
  for (let at = skipSpace(content, 0); at < content.length; at = skipSpace(content, at)) {
    const tokenEnd = skipToken(content, at);
    const isOperator = classOf(content, at) === REGULAR && !startsNumber(content.charCodeAt(at));
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

function skipSpace(content: string, from: number): number {
  let at = from;
  while (at < content.length) {
    if (classOf(content, at) === WHITESPACE) at += 1;
    else if (content.charCodeAt(at) === 0x25) while (at < content.length && content[at] !== '\n' && content[at] !== '\r') at += 1;
    else break;
  }
  return at;
}

function skipRegular(content: string, from: number): number {
  let end = from;
  while (end < content.length && classOf(content, end) === REGULAR) end += 1;
  return end;
}

/** The end of the token that starts at `at`: a name, number, operator, string, array or dictionary. */
function skipToken(content: string, at: number): number {
  const char = content[at]!;
  if (char === '(') return skipLiteralString(content, at);
  if (char === '<' && content[at + 1] === '<') return skipNested(content, at, '<<', '>>');
  if (char === '<') return content.indexOf('>', at) + 1 || content.length;
  if (char === '[') return skipNested(content, at, '[', ']');
  return skipRegular(content, at + 1);
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
