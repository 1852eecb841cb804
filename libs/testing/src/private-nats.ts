/**
 * A nats-server of the test's own (JetStream, its store in a temporary
 * folder, a free port), for tests that restart or kill NATS, or that run it
 * with a configuration of their own (the generated users and permissions,
 * TLS). A restart keeps the port and the store, so streams, buckets and
 * durable consumers survive it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  /** What the server logged lately (permission violations, refused clients). */
  output(): string;
}

export interface PrivateNatsOptions {
  /** nats-server configuration text (e.g. an `authorization` block, `tls { ... }`); the port, address and store are set on the command line over it. */
  readonly config?: string;
  /** Variables the configuration reads (`password: $SMTP_INGRESS_NATS_PASSWORD`). */
  readonly env?: Readonly<Record<string, string>>;
  /** `tls` when the configuration makes the server speak TLS (the URL's scheme). */
  readonly scheme?: 'nats' | 'tls';
}

export async function startPrivateNats(options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const store = await mkdtemp(join(tmpdir(), 'private-nats-'));
  const configFile = join(store, 'nats-server.conf');
  if (options.config !== undefined) await writeFile(configFile, options.config);
  const server = await privateServer({
    name: 'nats-server',
    binary: findBinary('nats-server') ?? '/usr/sbin/nats-server',
    args: (port) => [...(options.config !== undefined ? ['-c', configFile] : []), '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(store, 'jetstream')],
    startTimeoutMs: 20_000,
    ...(options.env ? { env: options.env } : {}),
    keptOutput: 256 * 1024,
  });
  await server.start();
  return {
    url: `${options.scheme ?? 'nats'}://127.0.0.1:${server.port}`,
    start: () => server.start(),
    stop: (signal) => server.stop(signal),
    output: () => server.output(),
    async close() {
      await server.stop('SIGKILL');
      await rm(store, { recursive: true, force: true });
    },
  };
}
