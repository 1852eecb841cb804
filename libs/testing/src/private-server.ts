/**
 * A server process of the test's own on a free loopback port (nats-server,
 * redis-server), for tests that kill or restart it — which the shared
 * servers other tests use must never be. start() may be called again after
 * stop(): the server comes back on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '@mail/launcher';
import { waitFor } from './wait-for';

export interface PrivateServer {
  readonly port: number;
  /** Starts the server (again, on the same port); resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (`signal`, SIGKILL after 10 s) and waits for it to exit; nothing when it is not running. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** The last lines the server wrote (stdout and stderr, at most `keptOutput` characters). */
  output(): string;
}

export interface PrivateServerOptions {
  /** Program name, in messages. */
  readonly name: string;
  readonly binary: string;
  readonly args: (port: number) => string[];
  readonly startTimeoutMs: number;
  /** Variables over this process's environment (a configuration that reads passwords from it). */
  readonly env?: Readonly<Record<string, string>>;
  /** Characters of output kept for output() and start-up failures (default 4,000). */
  readonly keptOutput?: number;
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

export async function privateServer(options: PrivateServerOptions): Promise<PrivateServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';
  return {
    port,
    async start() {
      const started = spawn(options.binary, options.args(port), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
      child = started;
      started.once('error', (error) => (output += `could not be started: ${error.message}\n`));
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-(options.keptOutput ?? 4000)));
      started.stdout?.on('data', keep);
      started.stderr?.on('data', keep);
      await waitFor(
        async () => {
          if (started.exitCode !== null || started.pid === undefined) throw new Error(`${options.name} exited during start-up:\n${output}`);
          return accepts(port);
        },
        { timeoutMs: options.startTimeoutMs, intervalMs: 50, description: `${options.name} on port ${port}` },
      );
    },
    output: () => output,
    async stop(signal = 'SIGTERM') {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
