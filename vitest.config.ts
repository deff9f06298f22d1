import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each end-to-end file starts its own Chrome; two at a time suit a 2-core machine.
    maxWorkers: 2,
  },
});
