import { defineConfig } from 'vitest/config';
import { backendSuites } from './src/backend-suites.js';

// The suites of backend-suites.ts on the testcontainers backend, plus the checks that only
// mean something there (src/containers). One cluster and registry in containers for the
// run (global setup); suites that break brokers start clusters of their own, also in
// containers. A missing Docker engine fails the run: the backend is asked for by name.
process.env.KAFKA_TESTKIT_BACKEND = 'testcontainers';

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'test-results-containers.json' }]],
    include: [...backendSuites, 'src/containers/**/*.test.ts'],
    globalSetup: ['./src/global-setup.ts'],
    env: { KAFKA_TESTKIT_BACKEND: 'testcontainers' },
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
