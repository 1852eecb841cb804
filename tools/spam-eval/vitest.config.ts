import { defineConfig } from 'vitest/config';

// A slice of the corpus through the whole evaluation (bogofilter left out:
// it may not be installed); the full run is a benchmark, `npm run spam-eval`.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    passWithNoTests: false,
    testTimeout: 120_000,
  },
});
