/**
 * Finds the property-based tests of the workspace: every `*.fuzz.spec.ts`
 * under a project's `src/`, grouped by project (each project runs with its
 * own vitest config, which loads property-settings.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The fuzz specs of one project. */
export interface FuzzSuite {
  /** Project directory relative to the workspace root, e.g. `libs/smtp`. */
  readonly project: string;
  /** Spec files relative to the project directory. */
  readonly files: readonly string[];
}

const SUFFIX = '.fuzz.spec.ts';

/** Every project under apps/, libs/ and tools/ that has fuzz specs, in a stable order. */
export function findFuzzSuites(workspaceRoot: string): FuzzSuite[] {
  const suites: FuzzSuite[] = [];
  for (const group of ['libs', 'apps', 'tools']) {
    const groupDir = join(workspaceRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const name of readdirSync(groupDir).sort()) {
      const src = join(groupDir, name, 'src');
      if (!existsSync(src) || !existsSync(join(groupDir, name, 'vitest.config.ts'))) continue;
      const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith(SUFFIX))
        .map((file) => join('src', file))
        .sort();
      if (files.length > 0) suites.push({ project: `${group}/${name}`, files });
    }
  }
  return suites;
}
