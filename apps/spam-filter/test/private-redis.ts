/**
 * A redis-server of the test's own on a free port, without persistence, so
 * a test can take Redis away (SIGKILL) and bring it back without touching
 * the shared server other tests use. Needs `redis-server` on PATH (Debian
 * package redis-server, which the CI installs for chaos).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { freePort, waitFor } from '@mail/testing';

export interface PrivateRedis {
  readonly url: string;
  /** Starts the server (again, on the same port) and waits until it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL: gone at once, as in a crash; resolves once the process has exited. */
  kill(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      started.once('error', () => undefined);
      child = started;
      await waitFor(() => accepts(port), { timeoutMs: 10_000, intervalMs: 50, description: `redis-server on port ${port} (is redis-server installed?)` });
    },
    async kill() {
      const running = child;
      child = undefined;
      if (running?.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
  };
}
