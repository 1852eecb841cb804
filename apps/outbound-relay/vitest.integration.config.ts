import { defineConfig } from 'vitest/config';

// Integration tests: the relay as a real process against real NATS, Redis,
// a dns2 server and SMTP sinks on loopback addresses (see .ci/run).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
