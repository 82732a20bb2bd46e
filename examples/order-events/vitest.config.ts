import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report is what .ci/run adds up into the suite's closing line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    include: ['src/**/*.test.ts'],
    // A guard against a hung test, not a speed budget: vitest's 5 s default was missed by
    // heavy tests on a busy machine, and no unit test may depend on a budget it can miss.
    testTimeout: 60_000,
  },
});
