/**
 * The builds the test launchers run (dist/apps/<name>, tools/build-app.mjs),
 * kept current: `npm test` builds every app before the integration suites
 * (Nx), but a single suite run with `vitest run` straight after an edit
 * would otherwise test the previous build. Once per test process, an app
 * whose build is missing or older than a source it bundles (its src/, any
 * library's src/, the build script) is built again, under a lock file so
 * that parallel test processes build it once.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for';

const run = promisify(execFile);

/** A lock older than this belongs to a build that died; it is taken over. */
const abandonedLockMs = 120_000;

let current: Promise<void> | undefined;

/** Rebuilds every app whose build is missing or stale; the first call does the work, later ones share it. */
export function ensureCurrentBuilds(workspaceRoot: string): Promise<void> {
  current ??= rebuildStale(workspaceRoot);
  return current;
}

async function rebuildStale(root: string): Promise<void> {
  const libraries = readdirSync(join(root, 'libs')).map((lib) => join(root, 'libs', lib, 'src'));
  const shared = Math.max(...libraries.map(newestSource), mtimeOf(join(root, 'tools/build-app.mjs')));
  const apps = readdirSync(join(root, 'apps')).filter((app) => existsSync(join(root, 'apps', app, 'src/main.ts')));
  for (const app of apps) {
    const isStale = (): boolean => mtimeOf(join(root, 'dist/apps', app, 'main.mjs')) < Math.max(shared, newestSource(join(root, 'apps', app, 'src')));
    if (isStale())
      await underLock(join(root, 'dist/.locks', `${app}.lock`), async () => {
        if (isStale()) await run(process.execPath, ['tools/build-app.mjs', `apps/${app}`], { cwd: root });
      });
  }
}

/** Runs `work` holding the lock file (created exclusively), waiting for another holder to finish. */
async function underLock(lockFile: string, work: () => Promise<void>): Promise<void> {
  await mkdir(join(lockFile, '..'), { recursive: true });
  const handle = await waitFor(
    async () => {
      try {
        return await open(lockFile, 'wx');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const held = await stat(lockFile).catch(() => undefined);
        if (held && Date.now() - held.mtimeMs > abandonedLockMs) await rm(lockFile, { force: true });
        return undefined;
      }
    },
    { timeoutMs: abandonedLockMs + 30_000, intervalMs: 100, description: `the build lock ${lockFile}` },
  );
  try {
    await work();
  } finally {
    await handle.close();
    await rm(lockFile, { force: true });
  }
}

/** Newest mtime of the .ts/.mjs/.sql sources under `dir` (specs and test support left out, as the build leaves them). */
function newestSource(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|mjs|sql)$/.test(entry.name) || entry.name.endsWith('.spec.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    if (/\/(test-support|testdata)\//.test(path)) continue;
    newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function mtimeOf(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}
