import type { TestProject } from 'vitest/node';
import { startValidators } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the test run's validators answer (tests/validators/services.ts). */
    validators: string;
  }
}

/** Starts EPUBCheck 5 and veraPDF once for the run; they are warm by the time most tests ask. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const validators = await startValidators();
  project.provide('validators', validators.url);
  return () => validators.close();
}
