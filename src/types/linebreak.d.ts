/** linebreak ships no types: the Unicode line breaking algorithm (UAX #14) over a string. */
declare module 'linebreak' {
  export default class LineBreaker {
    constructor(text: string);
    /** The next place a line may (or, when required, must) end: a UTF-16 offset. */
    nextBreak(): { position: number; required: boolean } | null;
  }
}
