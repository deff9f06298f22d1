import { afterAll, expect, inject } from 'vitest';

/**
 * Test files that give the galley they start a TMPDIR two folders below their own. Under the run's
 * TMPDIR (tests/global-setup.ts), galley's run folder there would hold a Chrome singleton socket
 * path longer than the 100 bytes galley allows one (src/browser/run-folder.ts), so galley would
 * rightly move to /tmp, and these tests, which look for its processes and folders in the TMPDIR
 * they gave it, would fail. They keep the system's TMPDIR until their folders' names are shorter;
 * they check themselves that they leave nothing in it.
 */
const NESTED_TOO_DEEP = /[/\\]tests[/\\]e2e[/\\](?:faults|signals)\.test\.ts$/;

if (NESTED_TOO_DEEP.test(expect.getState().testPath ?? '')) {
  const run = process.env.TMPDIR;
  process.env.TMPDIR = inject('systemTmpdir');
  afterAll(() => {
    process.env.TMPDIR = run;
  });
}
