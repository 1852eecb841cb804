/**
 * A private rspamd 3.4 (Debian package `rspamd`) for the side-by-side run:
 * Debian's /etc/rspamd as the base, the bench's own files as LOCAL_CONFDIR
 * (rspamd-config.ts), its database, run and log directories in a temp dir,
 * run in the foreground (`-f`) as a child of the bench, as the `_rspamd`
 * user the package creates. Ready when the proxy worker scans with compiled
 * Hyperscan databases (before that it uses slower regular expressions while
 * a helper compiles, which would count start-up work as work per message)
 * and its milter port listens. Stopped with SIGTERM.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitFor } from '@mail/testing';
import { listening } from './listening';
import { rspamdLocalConfig } from './rspamd-config';

export const rspamdPath = '/usr/bin/rspamd';
const rspamdUser = '_rspamd';
/** Kept between runs (the package's own cache is under /var/lib/rspamd): compiling takes a minute or more on two cores. */
const hyperscanCache = '/var/tmp/bench-rspamd-hyperscan';

export interface RspamdInstance {
  readonly milterPort: number;
  readonly controllerPort: number;
  /** The main process; its workers are its children. */
  readonly pid: number;
  /** The last lines of its log, for error messages. */
  log(): Promise<string>;
  /** Messages it has scanned so far (one task line each in its log). */
  scanned(): Promise<number>;
  stop(): Promise<void>;
}

export class RspamdInstanceError extends Error {
  override name = 'RspamdInstanceError';
}

async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const run = promisify(execFile);
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Whether the proxy worker (the one Postfix talks to) scans with compiled
 * Hyperscan databases, from rspamd's log: its hs_helper process reports
 * what it compiled; nothing ("compiled 0") means the main process loaded
 * them all from the cache before forking the workers, otherwise the proxy
 * logs that it loaded the new ones.
 */
export function hyperscanReady(log: string): boolean {
  const compiled = /rspamd_rs_compile_cb: compiled (\d+) regular expressions/.exec(log);
  if (!compiled) return false;
  return compiled[1] === '0' || /\(rspamd_proxy\) rspamd_worker_hyperscan_ready/.test(log);
}

export async function startRspamd(dns: string, redisPort: number): Promise<RspamdInstance> {
  const { uid, gid } = await userIds(rspamdUser);
  const root = await mkdtemp(join(tmpdir(), 'bench-rspamd-'));
  const dirs = { etc: join(root, 'etc'), db: join(root, 'db'), run: join(root, 'run'), log: join(root, 'log') };
  const ports = { milter: await freePort(), normal: await freePort(), controller: await freePort(), dns, redis: redisPort, hyperscanCache, scanners: availableParallelism() };
  for (const [path, text] of Object.entries(rspamdLocalConfig(ports))) {
    await mkdir(dirname(join(dirs.etc, path)), { recursive: true });
    await writeFile(join(dirs.etc, path), text);
  }
  for (const dir of [dirs.db, dirs.run, dirs.log, hyperscanCache]) {
    await mkdir(dir, { recursive: true });
    await chown(dir, uid, gid);
  }
  await chown(root, uid, gid);
  const logFile = join(dirs.log, 'rspamd.log');
  const log = async () => (await readFile(logFile, 'utf8').catch(() => '')).slice(-3000);
  const vars = Object.entries({ LOCAL_CONFDIR: dirs.etc, DBDIR: dirs.db, RUNDIR: dirs.run, LOGDIR: dirs.log }).map(([name, value]) => `--var=${name}=${value}`);
  const child = spawn(rspamdPath, ['-f', '-u', rspamdUser, '-g', rspamdUser, '-c', '/etc/rspamd/rspamd.conf', ...vars], { stdio: 'ignore' });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(root, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new RspamdInstanceError(`rspamd exited ${child.exitCode} during start-up: ${await log()}`);
        return hyperscanReady(await readFile(logFile, 'utf8').catch(() => '')) && (await listening(ports.milter));
      },
      { timeoutMs: 300_000, intervalMs: 250, description: 'rspamd to listen and load its Hyperscan databases' },
    );
  } catch (error) {
    const lastLines = await log();
    await stop();
    if (error instanceof RspamdInstanceError) throw error;
    throw new RspamdInstanceError(`${(error as Error).message}; rspamd's log ends: ${lastLines}`, { cause: error });
  }
  const scanned = async () => ((await readFile(logFile, 'utf8').catch(() => '')).match(/rspamd_task_write_log/g) ?? []).length;
  return { milterPort: ports.milter, controllerPort: ports.controller, pid: child.pid ?? 0, log, scanned, stop };
}
