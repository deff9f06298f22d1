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
  const code = await main(['node', 'galley', ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr, lines: stderr.split('\n').filter(Boolean) };
}
