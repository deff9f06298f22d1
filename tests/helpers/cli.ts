import { main } from '../../src/cli.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stderr split into lines, without the empty last one. */
  lines: string[];
}

/** Runs the whole CLI in-process, capturing what it prints. */
export async function runCli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
  };
  const code = await main(['node', 'galley', ...args], io, new AbortController().signal);
  return { code, stdout, stderr, lines: stderr.split('\n').filter(Boolean) };
}
