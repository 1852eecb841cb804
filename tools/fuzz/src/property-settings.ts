/**
 * The one place where every property-based test (`*.fuzz.spec.ts`) gets its
 * run count and seed. Loaded by vitest as a setup file (see the
 * `setupFiles` of each project's vitest.config.ts), it sets fast-check's
 * global configuration:
 *
 * - FUZZ_RUNS: runs per property (default 100, the CI-sized run of
 *   `npm test`; `npm run fuzz` raises it to reach a million cases).
 *   Expensive properties (whole sessions) take a share of it, read back
 *   with `fc.readConfigureGlobal().numRuns`.
 * - FUZZ_SEED: the seed (default fixed, so CI is reproducible). fast-check
 *   prints the seed and the shrunk counterexample of any failure; rerun
 *   with FUZZ_SEED=<seed> to reproduce it.
 * - FUZZ_COUNT_FILE: when set, each property appends the number of cases
 *   it ran, one line each (tools/fuzz adds them up).
 */
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

/** Runs per property when FUZZ_RUNS is not set: small enough for `npm test` on a loaded machine. */
export const DEFAULT_FUZZ_RUNS = 100;
/** The seed when FUZZ_SEED is not set. */
export const DEFAULT_FUZZ_SEED = 20_261_122;

function integerSetting(name: string, fallback: number, minimum: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum) throw new Error(`${name} must be an integer of at least ${minimum}, got ${JSON.stringify(text)}`);
  return value;
}

const numRuns = integerSetting('FUZZ_RUNS', DEFAULT_FUZZ_RUNS, 1);
const seed = integerSetting('FUZZ_SEED', DEFAULT_FUZZ_SEED, Number.MIN_SAFE_INTEGER);
const countFile = process.env['FUZZ_COUNT_FILE'];

fc.configureGlobal({
  numRuns,
  seed,
  // A custom reporter replaces fast-check's: count the cases, then fail as fast-check would (seed, path, counterexample).
  reporter(details) {
    if (countFile !== undefined && countFile !== '') appendFileSync(countFile, `${details.numRuns}\n`);
    if (details.failed) throw new Error(fc.defaultReportMessage(details), { cause: details.errorInstance });
  },
});
