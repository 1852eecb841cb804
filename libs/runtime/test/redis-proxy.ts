/**
 * A TCP proxy in front of the real Redis, so a test can take Redis away from
 * one client without touching the server others use: `cut()` refuses
 * connections (an outage), `stall()` keeps the connections but holds what
 * the client sends (a Redis that does not answer), and `restore()` ends
 * either (held commands then go through, in order).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { freePort } from '@mail/testing';

export interface RedisProxy {
  /** `redis://127.0.0.1:<port>` — hand this to the client under test. */
  readonly url: string;
  cut(): Promise<void>;
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startRedisProxy(redisUrl: string): Promise<RedisProxy> {
  const target = new URL(redisUrl);
  const port = await freePort();
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  let stalled = false;
  let server: Server | undefined;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        clients.add(client);
        client.on('close', () => clients.delete(client));
        if (stalled) client.pause();
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('error', () => undefined);
          socket.on('close', () => {
            sockets.delete(socket);
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: shut,
    stall: () => {
      stalled = true;
      for (const client of clients) client.pause();
    },
    async restore() {
      stalled = false;
      for (const client of clients) client.resume();
      if (!server) await listen();
    },
    close: shut,
  };
}
