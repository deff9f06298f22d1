import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

describe('galley CLI', () => {
  it('prints its version and help on stdout and exits 0', async () => {
    const version = await runCli('--version');
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli('build', '--help');
    expect(help.code).toBe(0);
    for (const flag of ['--out', '--format', '--templates', '--browser']) expect(help.stdout).toContain(flag);
  });

  it.each([
    [['build', '--format', 'docx'], /unknown format "docx"/],
    [['build', '--no-such-flag'], /unknown option '--no-such-flag'/],
    [['publish'], /unknown command 'publish'/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const run = await runCli(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
