/**
 * A private redis-server without persistence: a restart loses every key
 * (limits, maildrop locks, DNSBL cache), which is the harshest restart the
 * services must survive.
 */
import { freePort } from '@mail/testing';
import { serverProcess, type ServerProcess } from './server-process';

export async function privateRedis(binary = 'redis-server'): Promise<ServerProcess & { url: string }> {
  const port = await freePort();
  const server = serverProcess({
    name: 'redis-server',
    binary,
    port,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
  });
  return Object.assign(server, { url: `redis://127.0.0.1:${port}` });
}
