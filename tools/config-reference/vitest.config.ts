import { defineConfig } from 'vitest/config';

// One tier: the generator reads source files only (no services), so the
// drift check of docs/configuration.md runs with the unit tests.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    passWithNoTests: false,
  },
});
