/**
 * `npm run fuzz`: the long run of the property-based tests (every
 * `*.fuzz.spec.ts`) — at least a million generated cases in all, by default.
 *
 * The same specs run CI-sized in `npm test` (FUZZ_RUNS unset: 100 runs per
 * property). Here each round runs every suite with FUZZ_RUNS raised so that
 * the cases add up to the target; a round that falls short (expensive
 * properties take a share of FUZZ_RUNS) is followed by another with a new
 * seed, until the total is reached. Prints the cases run per project, the
 * total and the time; exits 1 on any failure, after printing fast-check's
 * seed and counterexample (rerun with FUZZ_SEED=<seed> and the spec).
 *
 *   npm run fuzz [-- --cases 1000000] [--seed 42] [--project libs/smtp]
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findFuzzSuites } from './fuzz-suites';
import { runSuite, type SuiteResult } from './suite-run';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    project: { type: 'string', multiple: true },
    'max-rounds': { type: 'string', default: '5' },
  },
});

function integerOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return value;
}

const target = integerOption('cases', values.cases, 1_000_000);
const firstSeed = integerOption('seed', values.seed, Math.floor(Math.random() * 2 ** 31));
const maxRounds = integerOption('max-rounds', values['max-rounds'], 5);
const suites = findFuzzSuites(workspaceRoot).filter((s) => values.project === undefined || values.project.includes(s.project));
if (suites.length === 0) {
  console.error('no *.fuzz.spec.ts found');
  process.exit(2);
}

const started = performance.now();
const byProject = new Map<string, number>();
let total = 0;
let properties = 0;
// Guess for the first round: about 45 properties of equal weight; later rounds use what the first measured
let casesPerRun = suites.reduce((n, s) => n + s.files.length, 0) * 4;
let failed: SuiteResult | undefined;

for (let round = 1; round <= maxRounds && total < target && failed === undefined; round++) {
  const seed = firstSeed + round - 1;
  const runsPerProperty = Math.max(100, Math.ceil((target - total) / casesPerRun));
  console.log(`\nfuzz round ${round}: FUZZ_RUNS=${runsPerProperty} FUZZ_SEED=${seed}, ${suites.length} projects`);
  let roundCases = 0;
  for (const suite of suites) {
    const result = await runSuite(workspaceRoot, suite, { runsPerProperty, seed });
    console.log(`  ${suite.project}: ${result.cases.toLocaleString('en')} cases in ${result.properties} properties, ${(result.durationMs / 1000).toFixed(1)} s${result.passed ? '' : ' — FAILED'}`);
    byProject.set(suite.project, (byProject.get(suite.project) ?? 0) + result.cases);
    roundCases += result.cases;
    if (round === 1) properties += result.properties;
    if (!result.passed) {
      failed = result;
      break;
    }
  }
  total += roundCases;
  casesPerRun = Math.max(1, roundCases / runsPerProperty);
}

const seconds = (performance.now() - started) / 1000;
console.log('\nfuzz summary');
for (const [project, cases] of byProject) console.log(`  ${project.padEnd(24)} ${cases.toLocaleString('en').padStart(12)} cases`);
console.log(`  total ${total.toLocaleString('en')} cases in ${properties} properties, ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en')} cases/s)`);
if (failed !== undefined) {
  console.error(`FAILED in ${failed.project}: see fast-check's report above (seed, path, counterexample)`);
  process.exit(1);
}
if (total < target) {
  console.error(`only ${total.toLocaleString('en')} of ${target.toLocaleString('en')} cases after ${maxRounds} rounds`);
  process.exit(1);
}
console.log(`passed: ${total.toLocaleString('en')} ≥ ${target.toLocaleString('en')} cases`);
