import { defineConfig } from 'vitest/config';

// Integration tests: the client against the real pop3-server (with mailbox-store, spam-filter and smtp-ingress) as processes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
