import { defineConfig } from 'vitest/config';

// The short crash matrix: private NATS, PostgreSQL and Redis, the five
// services as real processes, every fault once. Long deadlines: the machine
// may be loaded, and JetStream redelivers a crashed relay's message only
// after its ack wait (120 s).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
