import { defineConfig } from 'vitest/config';

// The testcontainers backend needs a Docker engine; .ci/run runs this suite only where
// one answers, and says so when it does not.
export default defineConfig({
  test: {
    include: ['src/docker/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
