/**
 * Where things live: the workspace root (found from this file, so `npm start`
 * works from any directory) and the git-ignored `.data/` folder that holds
 * everything the launcher creates (databases, queues, the TLS certificate).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the monorepo root, with no trailing slash. */
export const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/** The project-local data folder (listed in .gitignore). */
export const dataRoot = join(workspaceRoot, '.data');

/** Sub-folders of `.data/`, one per kind of state. */
export const dataDirs = {
  nats: join(dataRoot, 'nats'),
  postgres: join(dataRoot, 'postgres'),
  postgresSocket: join(dataRoot, 'pg-socket'),
  redis: join(dataRoot, 'redis'),
  tls: join(dataRoot, 'tls'),
} as const;

/** The built entry point of a service (tools/build-app.mjs), relative to the workspace root. */
export function serviceEntry(app: string): string {
  return `dist/apps/${app}/main.mjs`;
}

/** `node` arguments that run a service's build, with stack traces mapped back to the TypeScript sources. */
export function serviceArguments(app: string, ...args: string[]): string[] {
  return ['--enable-source-maps', serviceEntry(app), ...args];
}
