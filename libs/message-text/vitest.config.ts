import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    passWithNoTests: false,
    // fast-check's run count and seed for the *.fuzz.spec.ts properties (FUZZ_RUNS, FUZZ_SEED)
    setupFiles: [fileURLToPath(new URL('../../tools/fuzz/src/property-settings.ts', import.meta.url))],
  },
});
