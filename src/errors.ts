/** A problem the user can fix: printed as one line, `file:line: message`, never with a stack. */
export class GalleyError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, where: { file?: string; line?: number } = {}) {
    super(message);
    this.name = 'GalleyError';
    this.file = where.file;
    this.line = where.line;
  }

  /** The same problem, placed in a file (keeps a line the error already knows). */
  inFile(file: string): GalleyError {
    if (this.file) return this;
    return new GalleyError(this.message, { file, line: this.line });
  }

  /** One line, whatever the file name or message holds: see escapeControlCharacters. */
  override toString(): string {
    const place = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    return escapeControlCharacters(`${place}${this.message}`);
  }
}

/** One line for a person; the stack only when asked for, and only for errors we did not expect. */
export function describeError(error: unknown, verbose = false): string {
  if (error instanceof GalleyError) return error.toString();
  if (error instanceof Error)
    return verbose && error.stack ? stackTrace(error, error.stack) : `internal error: ${escapeControlCharacters(error.message)}`;
  return `internal error: ${escapeControlCharacters(String(error))}`;
}

/** The stack as Node prints it, with the message (which may hold a file name) kept to one line. */
function stackTrace(error: Error, stack: string): string {
  const heading = `${error.name}: ${error.message}`;
  if (!stack.startsWith(heading)) return stack;
  return `${error.name}: ${escapeControlCharacters(error.message)}${stack.slice(heading.length)}`;
}

// C0 and C1 controls, DEL, and the line and paragraph separators: in a file name, any of them
// could end the line on a terminal or in a log and start one that galley never wrote.
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `a\nb` (a line feed) becomes `a\\nb`, U+0085 becomes `\\u0085`: text for a message, never more than one line. */
export function escapeControlCharacters(text: string): string {
  return text.replace(
    CONTROL_CHARACTERS,
    (character) => SHORT_ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
