import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Test files outside tests/e2e/ that start Chrome, build through the CLI, or mount file systems
 * (which needs root): they run with the end-to-end tests. Every other file is a unit test.
 */
const END_TO_END_ELSEWHERE = [
  'tests/browser/memory.test.ts',
  'tests/browser/session.test.ts',
  'tests/document/front-matter.test.ts', // its last test builds an EPUB, whose cover Chrome draws
  'tests/report/escaping.test.ts', // its last test builds a PDF and an EPUB
  'tests/output/write.test.ts', // tmpfs mounts
  'tests/output/full-disk.test.ts',
];
const END_TO_END = ['tests/e2e/**/*.test.ts', ...END_TO_END_ELSEWHERE];

export default defineConfig({
  test: {
    // The run's own TMPDIR, checked for litter at the end.
    globalSetup: ['tests/global-setup.ts'],
    // Each end-to-end file starts its own Chrome; two at a time suit a 2-core machine (three took longer).
    maxWorkers: 2,
    projects: [
      {
        test: {
          // `npm run test:unit`: pure modules, in seconds, with no set-up, no browser and no Java.
          name: 'unit',
          // Files share their worker's modules, imported once: every test that changes process.env
          // or spies on a module puts it back. The suite took 180 s isolated, 163–167 s shared (files shuffled too).
          isolate: false,
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...END_TO_END],
          testTimeout: 30_000,
          // A unit test that reaches for a browser fails at once, saying so, instead of starting one.
          env: { PUPPETEER_EXECUTABLE_PATH: '/unit-tests-start-no-browser' },
        },
      },
      {
        test: {
          name: 'e2e',
          isolate: false, // as for the unit tests
          include: END_TO_END,
          // EPUBCheck 5 and veraPDF, each in one JVM for the run (tests/validators).
          globalSetup: ['tests/validators/global-setup.ts'],
          setupFiles: ['tests/tmpdir-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
