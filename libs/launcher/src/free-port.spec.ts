import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port';

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('freePort', () => {
  it('gives a port below the ephemeral range that a server can then listen on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThanOrEqual(20_000);
    expect(port).toBeLessThan(32_768);
    const server = await listen(port);
    server.close();
  });

  it('never gives a port that is being listened on', async () => {
    const taken = await Promise.all(Array.from({ length: 20 }, async () => listen(await freePort())));
    try {
      const takenPorts = new Set(taken.map((s) => (s.address() as { port: number }).port));
      for (let i = 0; i < 50; i++) expect(takenPorts.has(await freePort())).toBe(false);
    } finally {
      for (const server of taken) server.close();
    }
  });

  it('never hands out the same port twice in one process, even once it is free again', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 200; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });
});
