/**
 * Runs the fuzz specs of one project with vitest, with the property
 * settings passed through the environment (see property-settings.ts), and
 * reads back how many cases each property ran.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FuzzSuite } from './fuzz-suites';

/** What one project's run gave. */
export interface SuiteResult {
  readonly project: string;
  /** vitest passed every spec. */
  readonly passed: boolean;
  /** Properties that reported (one line each in the count file). */
  readonly properties: number;
  /** Cases run, summed over the properties. */
  readonly cases: number;
  readonly durationMs: number;
}

/** How to run: runs per property and the seed. */
export interface RunSettings {
  readonly runsPerProperty: number;
  readonly seed: number;
}

// No per-test time limit: a long run of one property takes minutes
const NO_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Runs one suite; resolves when vitest exits (its output goes to this process's). */
export async function runSuite(workspaceRoot: string, suite: FuzzSuite, settings: RunSettings): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mail-fuzz-'));
  const countFile = join(dir, 'cases');
  writeFileSync(countFile, '');
  const started = performance.now();
  try {
    const vitest = join(workspaceRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const args = [vitest, 'run', '--root', suite.project, '--config', 'vitest.config.ts', `--testTimeout=${NO_TIMEOUT_MS}`, '--reporter=dot', ...suite.files];
    const env = { ...process.env, FUZZ_RUNS: String(settings.runsPerProperty), FUZZ_SEED: String(settings.seed), FUZZ_COUNT_FILE: countFile };
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: workspaceRoot, env, stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    const counts = readFileSync(countFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
    return {
      project: suite.project,
      passed: code === 0,
      properties: counts.length,
      cases: counts.reduce((sum, n) => sum + n, 0),
      durationMs: performance.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
