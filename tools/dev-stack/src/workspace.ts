/**
 * Where the launcher keeps its state: the git-ignored `.data/` folder of
 * the workspace (@mail/launcher finds its root, so `npm start` works from
 * any directory), which holds everything the launcher creates (databases,
 * queues, the TLS certificate).
 */
import { join } from 'node:path';
import { workspaceRoot } from '@mail/launcher';

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
