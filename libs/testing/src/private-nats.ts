/**
 * A nats-server of the test's own (JetStream, its store in a temporary
 * folder, a free port), for tests that restart or kill NATS. A restart
 * keeps the port and the store, so streams, buckets and durable consumers
 * survive it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './external-tool';
import { privateServer } from './private-server';

export interface PrivateNats {
  readonly url: string;
  /** Stops the server (`signal`, SIGKILL after 10 s) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and store; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  close(): Promise<void>;
}

export async function startPrivateNats(): Promise<PrivateNats> {
  const store = await mkdtemp(join(tmpdir(), 'private-nats-'));
  const server = await privateServer({
    name: 'nats-server',
    binary: findBinary('nats-server') ?? '/usr/sbin/nats-server',
    args: (port) => ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store],
    startTimeoutMs: 20_000,
  });
  await server.start();
  return {
    url: `nats://127.0.0.1:${server.port}`,
    start: () => server.start(),
    stop: (signal) => server.stop(signal),
    async close() {
      await server.stop('SIGKILL');
      await rm(store, { recursive: true, force: true });
    },
  };
}
