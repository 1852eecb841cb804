/**
 * A private redis-server with persistence (AOF), as deploy/README.md asks
 * of production: the relay's queue records and settled recipients, DKIM
 * keys and the classifier's training must survive a Redis restart. Redis
 * writes the AOF before it replies, so what a client was told is kept
 * survives a SIGKILL (the page cache outlives the process). Without
 * persistence a restart forgets settled recipients and a relay retry can
 * send a second copy — the documented reason for AOF.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@mail/testing';
import { serverProcess, type ServerProcess } from './server-process';

export async function privateRedis(dataDir: string, binary = 'redis-server'): Promise<ServerProcess & { url: string }> {
  const port = await freePort();
  const dir = join(dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  const server = serverProcess({
    name: 'redis-server',
    binary,
    port,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--daemonize', 'no'],
  });
  return Object.assign(server, { url: `redis://127.0.0.1:${port}` });
}
