import { defineConfig } from 'vitest/config';

// Unit tier only: percentiles, option parsing and result formatting. The
// benchmark itself is never part of `npm test` (it is not a timed test).
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    passWithNoTests: false,
  },
});
