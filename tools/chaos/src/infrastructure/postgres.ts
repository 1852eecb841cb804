/**
 * A private PostgreSQL cluster in a temporary folder: initdb with trust
 * authentication, the server on a free loopback port. PostgreSQL refuses to
 * run as root, so as root both run as the `postgres` OS user (the uid/gid
 * spawn options rather than a `runuser` wrapper, so signals reach the
 * postmaster itself). fsync is off: the matrix crashes processes, not the
 * machine, and the page cache survives a process crash.
 */
import { execFile } from 'node:child_process';
import { chown, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '@mail/testing';
import { serverProcess, type ServerProcess } from './server-process';

const run = promisify(execFile);
const binDir = process.env['CHAOS_POSTGRES_BIN'] ?? '/usr/lib/postgresql/15/bin';

async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'postgres');
  if (!entry) throw new Error('running as root and there is no "postgres" user to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server (not started) and the URL of its `postgres` database; `url('mail')` names another. */
export async function privatePostgres(dataDir: string): Promise<ServerProcess & { url(database: string): string }> {
  const cluster = join(dataDir, 'postgres');
  const socketDir = join(dataDir, 'pg-socket');
  await mkdir(cluster, { recursive: true });
  await mkdir(socketDir, { recursive: true });
  const user = await postgresUser();
  if (user) for (const dir of [dataDir, cluster, socketDir]) await chown(dir, user.uid, user.gid);
  await run(join(binDir, 'initdb'), ['-D', cluster, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], user ?? {});
  const port = await freePort();
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const server = serverProcess({
    name: 'postgres',
    binary: join(binDir, 'postgres'),
    port,
    ...user,
    args: ['-D', cluster, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
    ready: () => canQuery(url('postgres')),
  });
  return Object.assign(server, { url });
}
