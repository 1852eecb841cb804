import { defineConfig } from 'vitest/config';

// Integration tests start mailbox-store as a real process against the real
// NATS server and PostgreSQL (each test file in its own namespace and database).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
