/**
 * The SMTP listeners of this process — inbound MX, submission and
 * submissions (implicit TLS, RFC 8314 §3.3) — and the sessions they run. On shutdown it stops accepting, asks every session to
 * drain (idle ones get 421 at once, busy ones finish their command first),
 * and drops what is still open when the deadline passes. Past
 * SMTP_MAX_CONNECTIONS open sessions a new connection gets 421 4.3.2
 * (limits/connection-capacity.ts).
 */
import { Server, type AddressInfo, type Socket } from 'node:net';
import { refuseOverCapacity } from '../limits/connection-capacity';
import { SmtpSession, type SessionDependencies } from '../session/session';
import type { ListenerKind } from '../session/session-state';

/** Listeners and sessions of smtp-ingress. */
export class IngressServer {
  readonly #servers = new Map<ListenerKind, Server>();
  readonly #sessions = new Map<SmtpSession, Promise<void>>();
  #draining = false;

  /** `maxConnections`: sessions this process holds at most over both listeners (SMTP_MAX_CONNECTIONS). */
  constructor(
    private readonly deps: SessionDependencies,
    private readonly maxConnections = Number.POSITIVE_INFINITY,
  ) {}

  /** Open sessions right now. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Every listener is accepting connections (readiness). */
  get listening(): boolean {
    return this.#servers.size > 0 && [...this.#servers.values()].every((server) => server.listening);
  }

  /** Starts a listener; resolves with the bound address (port 0 picks a free one). */
  listen(kind: ListenerKind, port: number, host: string): Promise<AddressInfo> {
    if (kind === 'submissions' && this.deps.settings.tls === undefined) throw new Error('the submissions listener needs a TLS certificate (implicit TLS has no plain-text fallback)');
    // Half-open: a client may send its last commands and shut down its side; the replies are still written.
    const server = new Server({ allowHalfOpen: true }, (socket) => this.#accept(kind, socket));
    server.on('error', (error) => this.deps.log.error({ err: error, listener: kind }, 'SMTP listener error'));
    this.#servers.set(kind, server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  }

  /**
   * Stops accepting, drains every session, and after `timeoutMs` drops the
   * connections still open. Resolves once every session has ended.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.#draining = true;
    const closed = [...this.#servers.values()].map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
    this.deps.log.info({ sessions: this.#sessions.size }, 'draining SMTP sessions');
    for (const session of this.#sessions.keys()) session.drain();
    const finished = Promise.all(this.#sessions.values());
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    if ((await Promise.race([finished, deadline])) === 'late') {
      this.deps.log.warn({ sessions: this.#sessions.size }, 'drain deadline passed; dropping sessions');
      for (const session of this.#sessions.keys()) session.abort();
    }
    clearTimeout(timer);
    await finished;
    await Promise.all(closed);
  }

  #accept(kind: ListenerKind, socket: Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => undefined); // reported through the transport; never crash the process
    if (this.#sessions.size >= this.maxConnections) {
      this.deps.services.metrics.connectionRefused(kind, 'capacity');
      this.deps.log.info({ peerIp: socket.remoteAddress, listener: kind, sessions: this.#sessions.size }, 'connection refused: SMTP_MAX_CONNECTIONS reached');
      // A client of submissions expects TLS from the first byte and could not read a plain-text 421: it is just closed
      if (kind === 'submissions') return void socket.destroy();
      return refuseOverCapacity(socket, this.deps.settings.hostname);
    }
    const session = new SmtpSession(socket, kind, this.deps);
    // A connection that raced the shutdown gets 421 instead of the greeting
    if (this.#draining) session.drain();
    // The sessions gauge moves here, where every session starts and ends once (run() never rejects)
    const { metrics } = this.deps.services;
    metrics.sessionOpened(kind);
    const ended = session.run().finally(() => {
      this.#sessions.delete(session);
      metrics.sessionClosed(kind);
    });
    this.#sessions.set(session, ended);
  }
}
