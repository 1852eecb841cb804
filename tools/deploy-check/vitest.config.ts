import { defineConfig } from 'vitest/config';

// Unit tier: parsers, invariants and the checks that only read files
// (Dockerfile, ignore file, project targets, dashboards list).
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    passWithNoTests: false,
  },
});
