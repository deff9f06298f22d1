import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Each page's text as poppler's pdftotext extracts it (what Evince, Okular and most indexers see). */
export async function popplerPages(file: string, ...flags: string[]): Promise<string[]> {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', ...flags, file, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\f').slice(0, -1);
}

/** The words of a text of at least `minLetters` letters, each once. */
export function longWords(text: string, minLetters: number): string[] {
  return [...new Set(text.match(new RegExp(`\\p{L}{${minLetters},}`, 'gu')) ?? [])];
}

export interface PopplerWord {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
}

/** Each page's words with their boxes (pdftotext -bbox), in points from the top left. */
export async function popplerWords(file: string): Promise<PopplerWord[][]> {
  const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout
    .split('</page>')
    .slice(0, -1)
    .map((page) =>
      [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map(
        ([, xMin, yMin, xMax, text]) => ({
          text: text!,
          xMin: Number(xMin),
          xMax: Number(xMax),
          yMin: Number(yMin),
        }),
      ),
    );
}
