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
 *
 * Several test processes pick ports at once, and a port handed out is not
 * bound until its child has started (seconds, under load), so a probe cannot
 * see a port that another process has just handed out. Each process walks
 * the range in order from an offset of its own (its pid spread across the
 * range) and never hands out a port twice: two processes then meet only if
 * their offsets lie within the few dozen ports each uses, where picks at
 * random would meet far more often (the birthday problem).
 */
import { createServer } from 'node:net';

const FIRST_PORT = 20_000;
/** The last port below Linux's default ephemeral range. */
const LAST_PORT = 32_767;
const RANGE = LAST_PORT - FIRST_PORT + 1;
/** Spreads consecutive pids (parallel workers) far apart in the range. */
const PID_SPREAD = 977;

let next = (process.pid * PID_SPREAD) % RANGE;
const handedOut = new Set<number>();

export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let tried = 0; tried < RANGE; tried++) {
    const port = FIRST_PORT + next;
    next = (next + 1) % RANGE;
    if (handedOut.has(port)) continue;
    if (await canListen(port, host)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${FIRST_PORT} and ${LAST_PORT} on ${host}`);
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
