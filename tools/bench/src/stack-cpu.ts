/**
 * What the bench counts as the platform's CPU: each service's process (and
 * anything it forks), and the NATS, PostgreSQL and Redis servers its
 * environment points at, found by the port they listen on. Those three are
 * the machine's shared servers, so other work on them during a run (other
 * engineers' tests) is counted too: noise, said in a note. PostgreSQL is
 * counted twice: the whole cluster (postmaster, background writers and
 * every backend, the exited ones through the postmaster's cutime) less the
 * bench's own polling connections, and, as a lower bound free of others'
 * load, only the backends serving the bench's database that are alive at
 * the end of a scenario.
 */
import type pg from 'pg';
import type { MailStack } from '@mail/testing';
import { CpuMeter, processSubject, type CpuSubject } from './cpu-meter';
import { findListeningPids } from './listening-process';
import { clockTicksPerSecond } from './process-cpu';

/** application_name of the bench's own PostgreSQL connections, so they can be told apart from the services'. */
export const benchApplicationName = 'bench';

const defaultPorts: Readonly<Record<string, number>> = { 'nats:': 4222, 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379 };

/** The TCP port of a server URL (`nats://127.0.0.1:4222`, `postgres://u@h:5432/db`), the scheme's default when absent. */
export function serverPort(url: string): number {
  const first = new URL(url.split(',')[0] as string);
  return first.port ? Number(first.port) : (defaultPorts[first.protocol] ?? Number.NaN);
}

function listenerSubject(name: string, url: string | undefined, extra: Partial<CpuSubject> = {}): CpuSubject[] {
  if (!url) return [];
  const port = serverPort(url);
  return [{ name, inTotal: true, roots: () => findListeningPids(port), ...extra }];
}

function databaseBackends(name: string, database: pg.Pool, own: boolean): CpuSubject {
  const query = `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name ${own ? '=' : '<>'} $1`;
  const roots = async () => (await database.query<{ pid: number }>(query, [benchApplicationName])).rows.map((row) => row.pid);
  return { name, inTotal: false, listed: !own, roots };
}

export const benchOwnQueries = "PostgreSQL, the bench's own queries";

/** The meter of a running stack; `database` is the bench's pool on the stack's database (application_name "bench"). */
export async function stackCpuMeter(stack: MailStack, database: pg.Pool): Promise<CpuMeter> {
  const services = [...stack.services.keys()].map((name) => processSubject(name, () => [stack.services.get(name)?.pid ?? 0]));
  const env = stack.env;
  return new CpuMeter(
    [
      ...services,
      ...listenerSubject('NATS (shared server)', env['NATS_URL']),
      ...listenerSubject('PostgreSQL (whole cluster, shared)', env['DATABASE_URL'], { minus: benchOwnQueries }),
      databaseBackends("PostgreSQL (bench database's backends)", database, false),
      databaseBackends(benchOwnQueries, database, true),
      ...listenerSubject('Redis (shared server)', env['REDIS_URL']),
    ],
    await clockTicksPerSecond(),
  );
}
