import { defineConfig } from 'vitest/config';

// Integration tests: the client against a real SMTP server on loopback (@mail/testing's sink).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
