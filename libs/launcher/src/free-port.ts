/**
 * A TCP port that was free a moment ago on loopback, for a child process
 * that must be told its port before it starts.
 *
 * The port is drawn at random from below the kernel's ephemeral range
 * (Linux: 32768–60999, /proc/sys/net/ipv4/ip_local_port_range). A port the
 * kernel hands out for `listen(0)` comes from that range, and so does the
 * local port of every outgoing connection: between our probe and the
 * child's bind, any of the many connections the tests open (to NATS,
 * PostgreSQL, Redis, the services) could take it, and the child failed
 * with EADDRINUSE under load. Below the range only another listener can
 * take it, and the probe sees those.
 */
import { createServer } from 'node:net';

const FIRST_PORT = 20_000;
/** The last port below Linux's default ephemeral range. */
const LAST_PORT = 32_767;
const ATTEMPTS = 100;

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT + 1));
    if (await canListen(port, host)) return port;
  }
  throw new Error(`no free port between ${FIRST_PORT} and ${LAST_PORT} on ${host} after ${ATTEMPTS} attempts`);
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
