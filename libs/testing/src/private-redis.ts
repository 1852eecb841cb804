/**
 * A redis-server of the test's own on a free port, without persistence, so
 * a test can take Redis away (SIGKILL) and bring it back without touching
 * the shared server other tests use. Not started until start().
 */
import { privateServer } from './private-server';

export interface PrivateRedis {
  readonly url: string;
  /** Starts the server (again, on the same port) and waits until it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL: gone at once, as in a crash; resolves once the process has exited. */
  kill(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const server = await privateServer({
    name: 'redis-server',
    binary: 'redis-server',
    args: (port) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    startTimeoutMs: 10_000,
  });
  return { url: `redis://127.0.0.1:${server.port}`, start: () => server.start(), kill: () => server.stop('SIGKILL') };
}
