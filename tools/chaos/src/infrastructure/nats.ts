/**
 * A private nats-server with JetStream, its store in its own folder so a
 * restart (even after SIGKILL) finds the streams and consumers again.
 */
import { join } from 'node:path';
import { freePort } from '@mail/testing';
import { serverProcess, type ServerProcess } from './server-process';

export async function privateNats(dataDir: string, binary = '/usr/sbin/nats-server'): Promise<ServerProcess & { url: string }> {
  const port = await freePort();
  const server = serverProcess({ name: 'nats-server', binary, port, args: ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(dataDir, 'jetstream')] });
  return Object.assign(server, { url: `nats://127.0.0.1:${port}` });
}
