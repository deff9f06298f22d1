import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('galley CLI', () => {
  it('prints its version and help on stdout and exits 0', async () => {
    const version = await runCli('--version');
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli('build', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--out', '--format', '--templates', '--browser', '--force', '--replace-archived'])
      expect(help.stdout).toContain(flag);
    expect(help.stdout).toMatch(/--timeout <seconds> +time limit for each document \(default: "60"\)/);
  });

  it.each([
    [['build', '--format', 'docx'], /unknown format "docx"/],
    [['build', '--paper', 'legal'], /^error: unknown paper "legal" \(choose from a4, letter, a5\)$/m],
    [['watch', '--timeout', '0'], /^error: --timeout takes a positive number, not "0"$/m],
    [['build', '--split-level', '7'], /^error: --split-level takes a whole number from 1 to 6, not "7"$/m],
    [['build', '--jobs', '65'], /^error: --jobs takes a whole number from 1 to 64, not "65"$/m],
    [['build', '--link-base', 'ftp://example.org'], /^error: --link-base takes an http or https address, not "ftp:\/\/example.org"$/m],
    [['build', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['publish'], /unknown command 'publish'/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const run = await runCli(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
