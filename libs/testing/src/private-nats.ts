/**
 * A nats-server of the test's own (JetStream, its store in a temporary
 * folder, a free port), for tests that restart or kill NATS — which the
 * shared server other tests use must never be. A restart keeps the port
 * and the store, so streams, buckets and durable consumers survive it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@mail/launcher';
import { findBinary } from './external-tool';
import { waitFor } from './wait-for';

export interface PrivateNats {
  readonly url: string;
  /** Stops the server (`signal`, SIGKILL after 10 s) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and store; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its store. */
  close(): Promise<void>;
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

export async function startPrivateNats(): Promise<PrivateNats> {
  const binary = findBinary('nats-server') ?? '/usr/sbin/nats-server';
  const store = await mkdtemp(join(tmpdir(), 'private-nats-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';
  const server: PrivateNats = {
    url: `nats://127.0.0.1:${port}`,
    async start() {
      const started = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
      started.stdout?.on('data', keep);
      started.stderr?.on('data', keep);
      await waitFor(
        async () => {
          if (started.exitCode !== null) throw new Error(`nats-server exited during start-up:\n${output}`);
          return accepts(port);
        },
        { timeoutMs: 20_000, intervalMs: 50, description: `nats-server on port ${port}` },
      );
    },
    async stop(signal = 'SIGTERM') {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async close() {
      await server.stop('SIGKILL');
      await rm(store, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
