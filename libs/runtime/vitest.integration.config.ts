import { defineConfig } from 'vitest/config';

// Integration tests talk to the real Redis (see .ci/run).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
