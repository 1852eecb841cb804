import { defineConfig } from 'vitest/config';

// Integration tests start the platform's services (imap-server among them)
// as real processes against the real NATS server, PostgreSQL and Redis (each
// test file in its own namespace, database and Redis key prefix).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
