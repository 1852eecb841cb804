import { defineConfig } from 'vitest/config';

// Integration tests start smtp-ingress (and mailbox-store) as real processes
// against the real NATS, PostgreSQL and Redis (see .ci/run), and drive them
// with raw sockets and nodemailer.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
