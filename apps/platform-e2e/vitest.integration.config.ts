import { defineConfig } from 'vitest/config';

// End-to-end: the five services as separate processes against real NATS,
// PostgreSQL and Redis, plus a dns2 server; driven by real clients.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
