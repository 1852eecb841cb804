/**
 * PostgreSQL: usable when a client can log in to the `postgres` database of
 * the configured server; the probe then creates the target database (`mail`)
 * if it is missing. Started locally from a cluster in .data/postgres
 * (initdb with trust authentication on first use), listening on loopback
 * with its socket in .data/pg-socket.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinaries, type PostgresBinaries } from '../binaries';
import { describeExit, succeeded } from '../exit-status';
import type { ProcessGroup } from '../process-group';
import { errorText, LaunchError } from '../launch-error';
import { choosePort, loopback, preferredPort } from '../ports';
import type { Terminal } from '../terminal';
import { workspaceRoot } from '@mail/launcher';
import { dataDirs } from '../workspace';
import { probeTimeoutMs, type InfrastructureKind, type ProbeResult } from './infrastructure';
import { databaseName, localPostgresUrl, maintenanceUrl } from './postgres-url';
import { chownTree, postgresRunAs, type RunAs } from './postgres-user';
import { waitForServer } from './wait-for-server';

const standardPort = 5432;

/** SQLSTATE of CREATE DATABASE losing a race with another creator. */
const duplicateDatabase = '42P04';

/** Logs in to the maintenance database and creates the target database if needed. */
export async function probePostgres(url: string): Promise<ProbeResult> {
  let database: string;
  let adminUrl: string;
  try {
    database = databaseName(url);
    adminUrl = maintenanceUrl(url);
  } catch {
    return { ok: false, reason: 'DATABASE_URL is not a URL such as postgres://user@host:5432/mail' };
  }
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: probeTimeoutMs, query_timeout: probeTimeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    return { ok: false, reason: `cannot connect (${errorText(error)})` };
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount !== 0) return { ok: true };
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    return { ok: true, note: `created database ${database}` };
  } catch (error) {
    if ((error as { code?: unknown }).code === duplicateDatabase) return { ok: true };
    return { ok: false, reason: `connected but could not prepare database ${database} (${errorText(error)})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates the cluster in .data/postgres on first use. */
async function ensureCluster(binaries: PostgresBinaries, runAs: RunAs | undefined, group: ProcessGroup, terminal: Terminal): Promise<void> {
  const dir = dataDirs.postgres;
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  terminal.info(`initialising a PostgreSQL cluster in ${dir} (first run)`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (runAs) await chownTree(dir, runAs);
  const { status, lines } = await group.run({
    name: 'initdb',
    command: binaries.initdb,
    args: ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'],
    cwd: workspaceRoot,
    ...(runAs ? { user: runAs } : {}),
    printOutput: false,
    stopTimeoutMs: 5_000,
    tier: 0,
  });
  if (succeeded(status)) return;
  const hint = runAs ? `\n(as root, PostgreSQL runs as the postgres user, which must be able to reach ${dir})` : '';
  throw new LaunchError(`initdb ${describeExit(status)}${hint}`, { label: 'initdb', lines });
}

export const postgres: InfrastructureKind = {
  key: 'postgres',
  title: 'PostgreSQL',
  envVar: 'DATABASE_URL',
  defaultUrl: `postgres://postgres@${loopback}:${standardPort}/mail`,
  debianPackage: 'postgresql',
  dataDir: dataDirs.postgres,
  probe: probePostgres,
  locate(env) {
    const binaries = findPostgresBinaries(env);
    if (binaries === undefined) return undefined;
    return async ({ group, terminal, configuredUrl }) => {
      const runAs = await postgresRunAs();
      await ensureCluster(binaries, runAs, group, terminal);
      await mkdir(dataDirs.postgresSocket, { recursive: true });
      if (runAs) await chownTree(dataDirs.postgresSocket, runAs);
      const port = await choosePort(preferredPort(configuredUrl, standardPort));
      const child = group.start({
        name: 'postgres',
        command: binaries.postgres,
        args: ['-D', dataDirs.postgres, '-k', dataDirs.postgresSocket, '-p', String(port), '-h', loopback],
        cwd: workspaceRoot,
        ...(runAs ? { user: runAs } : {}),
        printOutput: false,
        // Fast shutdown: the services are gone by now, nothing to wait for.
        stopSignal: 'SIGINT',
        stopTimeoutMs: 15_000,
        tier: 0,
      });
      const url = localPostgresUrl(configuredUrl, port);
      await waitForServer(child, () => probePostgres(url), 30_000);
      return url;
    };
  },
};
