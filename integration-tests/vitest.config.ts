import { defineConfig } from 'vitest/config';

// One real 3-broker cluster and registry for the whole suite (global setup). Files run one
// after another: on two cores, parallel files would only make brokers time out.
export default defineConfig({
  test: {
    // The JSON report is what .ci/run adds up into the suite's closing line.
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    include: ['src/**/*.test.ts'],
    // src/containers holds checks of the container backend only (vitest.containers.config.ts).
    exclude: ['src/containers/**'],
    globalSetup: ['./src/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
