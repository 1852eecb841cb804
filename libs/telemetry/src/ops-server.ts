/** The operations HTTP endpoint of a service: /metrics, /healthz, /readyz. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthChecks } from './health';

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startOpsServer(options: { host: string; port: number; health: HealthChecks; metrics: (req: IncomingMessage, res: ServerResponse) => void }): Promise<OpsServer> {
  // node:http as a plain object, not an ES import: building the ES namespace
  // of node:http reads every export, and its lazy WebSocket, CloseEvent and
  // MessageEvent load Node's fetch client (undici, http2, zlib, web streams),
  // about 15 MiB of RSS in every service for nothing (Node 26).
  const { createServer } = process.getBuiltinModule('node:http');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') return options.metrics(req, res);
    if (path === '/healthz') return reply(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      void options.health.readiness().then(
        ({ ready, failures, degraded }) => reply(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', failures, ...(degraded ? { degraded } : {}) }),
        (error: unknown) => reply(res, 503, { status: 'not ready', error: String(error) }),
      );
      return;
    }
    reply(res, 404, { error: 'not found', endpoints: ['/metrics', '/healthz', '/readyz'] });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
