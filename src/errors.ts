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

  override toString(): string {
    const place = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    return `${place}${this.message}`;
  }
}

/** One line for a person; the stack only when asked for, and only for errors we did not expect. */
export function describeError(error: unknown, verbose = false): string {
  if (error instanceof GalleyError) return error.toString();
  if (error instanceof Error) return verbose && error.stack ? error.stack : `internal error: ${error.message}`;
  return `internal error: ${String(error)}`;
}
