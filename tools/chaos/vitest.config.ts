import { defineConfig } from 'vitest/config';

// Unit tier: the plan, the ledger, the tally and the printed table — no sockets.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    passWithNoTests: false,
  },
});
