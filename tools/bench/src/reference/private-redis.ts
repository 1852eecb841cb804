/**
 * A private redis-server for the reference rspamd (Bayes, history, DMARC
 * and rate-limit keys): a child process on a free loopback port, no
 * persistence (nothing of it must outlive the run), stopped with SIGTERM.
 * The shared Redis on 6379 is never touched. (tools/chaos runs its own
 * private servers too; a tool cannot import another tool, hence this small
 * copy of the idea.)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort, waitFor } from '@mail/testing';
import { listening } from './listening';

export const redisServerPath = '/usr/bin/redis-server';

export interface PrivateRedis {
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', '/tmp'];
  const child = spawn(redisServerPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
  const exited = once(child, 'exit');
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}: ${output}`);
        return listening(port);
      },
      { timeoutMs: 15_000, description: `the private redis-server on ${port}` },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    port,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
