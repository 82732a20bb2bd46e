import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The JSON report is what .ci/run adds up into the suite's closing line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    include: ['src/**/*.test.ts'],
  },
});
