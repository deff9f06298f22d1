import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test run's own TMPDIR (tests/global-setup.ts). */
    runTmpdir: string;
    /** The system's, for the few files that cannot use the run's (tests/tmpdir-setup.ts). */
    systemTmpdir: string;
  }
}

/** What galley, Chrome and puppeteer make in TMPDIR and must remove again, whatever happens to a build. */
const LITTER = /^(?:galley-run-|galley-page-|org\.chromium\.Chromium\.|puppeteer_dev_chrome_profile-)/;

/**
 * Gives the whole run a TMPDIR of its own, set before the workers start, so that they, and the
 * browsers and tools they start, make their temporary files there. At the end the run fails if
 * galley, Chrome or puppeteer left anything there; whatever was left is printed, then removed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const before = process.env.TMPDIR;
  const system = os.tmpdir();
  const dir = await mkdtemp(path.join(system, 'galley-tests-'));
  process.env.TMPDIR = dir;
  project.provide('runTmpdir', dir);
  project.provide('systemTmpdir', system);
  return async () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    const left = (await readdir(dir)).sort();
    await rm(dir, { recursive: true, force: true });
    if (left.length > 0) console.warn(`The tests left in their TMPDIR (${dir}, now removed):\n  ${left.join('\n  ')}`);
    const litter = left.filter((name) => LITTER.test(name));
    if (litter.length > 0) {
      // Vitest reports an error thrown here but does not fail the run for it on its own.
      process.exitCode = 1;
      throw new Error(
        `galley, Chrome or puppeteer left ${litter.length} temporary ${litter.length === 1 ? 'entry' : 'entries'}: ${litter.join(', ')}`,
      );
    }
  };
}
