/**
 * Picking loopback ports for the infrastructure the launcher starts: the
 * standard port (or the one the configured URL names) when it is free,
 * otherwise one the kernel hands out.
 */
import { createServer, type AddressInfo } from 'node:net';

/** Host every process the launcher starts listens on. */
export const loopback = '127.0.0.1';

/** Whether a TCP port can be bound on `host` right now. */
export function isPortFree(port: number, host = loopback): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago (the kernel's choice). */
export function ephemeralPort(host = loopback): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** How to test and find ports; real sockets by default, fakes in tests. */
export interface PortProbe {
  isFree(port: number): Promise<boolean>;
  ephemeral(): Promise<number>;
}

const realPorts: PortProbe = { isFree: (port) => isPortFree(port), ephemeral: () => ephemeralPort() };

/** The preferred port if it is free, otherwise a free one. */
export async function choosePort(preferred: number, ports: PortProbe = realPorts): Promise<number> {
  return (await ports.isFree(preferred)) ? preferred : ports.ephemeral();
}

/**
 * The port to try first for a server replacing `configuredUrl`: the URL's own
 * port when it points at this machine (the user asked for it), else the
 * standard port of the protocol.
 */
export function preferredPort(configuredUrl: string, standardPort: number): number {
  let url: URL;
  try {
    url = new URL(configuredUrl);
  } catch {
    return standardPort;
  }
  if (!isLoopbackHost(url.hostname) || url.port === '') return standardPort;
  return Number(url.port);
}

/** Whether a host name means this machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
