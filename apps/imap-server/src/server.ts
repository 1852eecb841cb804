/**
 * The IMAP listener: accepts connections, runs one ImapSession per
 * connection, and on shutdown stops accepting, ends IDLE at once and lets
 * each other session finish its current command (then BYE), and drops what
 * is left after a grace period. The same class serves IMAPS (implicit TLS,
 * RFC 8314 §3.3) when given a TLS context. Before the greeting a
 * connection must get past the open-connection limits, as pop3-server's:
 * this process's cap (IMAP_MAX_CONNECTIONS), then its client network's
 * slots shared by the replicas in Redis (IMAP_MAX_CONNECTIONS_PER_IP,
 * @mail/login-limits); a refused one gets `* BYE [UNAVAILABLE]` instead of
 * the greeting, saying which limit (RFC 9051 §7.1.5: the server is closing
 * the connection; RFC 5530 §3 UNAVAILABLE: try again later). Accepting,
 * the handshake and the drain are @mail/tcp-session's SessionListener,
 * shared with pop3-server.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { bye } from '@mail/imap';
import { clientNetwork, unlimitedConnectionSlots, type ConnectionRefusal, type ConnectionSlots } from '@mail/login-limits';
import { endSocket, type TlsContextSource } from '@mail/runtime';
import { SessionListener } from '@mail/tcp-session';
import { ImapSession, type SessionDependencies } from './session/session';

/** The greeting's place taken by a refusal, per limit. */
const REFUSALS: Readonly<Record<ConnectionRefusal, string>> = {
  'per-ip': 'Too many connections from your address, try again later',
  capacity: 'Too many open connections on this server, try again later',
};

/** What kind of listener this is. */
export interface ListenerOptions {
  /** Implicit TLS (IMAPS): every connection starts with a TLS handshake under this context. */
  readonly implicitTls?: TlsContextSource;
  readonly handshakeTimeoutMs?: number;
  /** Sessions this process holds at most, over all its listeners (IMAP_MAX_CONNECTIONS). */
  readonly maxConnections?: number;
  /** The count against maxConnections, shared by the listeners of one process. */
  readonly open?: { count: number };
  /** Per-network slots shared by the replicas (IMAP_MAX_CONNECTIONS_PER_IP); none: no per-network limit. */
  readonly slots?: ConnectionSlots;
}

/** A listening IMAP server. */
export class ImapServer {
  readonly #listener: SessionListener;
  readonly #open: { count: number };

  constructor(
    private readonly deps: SessionDependencies,
    private readonly options: ListenerOptions = {},
  ) {
    this.#open = options.open ?? { count: 0 };
    this.#listener = new SessionListener({
      protocol: 'IMAP',
      implicitTlsProtocol: 'IMAPS',
      log: deps.log,
      implicitTls: options.implicitTls,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      onConnection: (socket, implicitTls) => this.#start(socket, implicitTls),
    });
  }

  get sessionCount(): number {
    return this.#listener.sessionCount;
  }

  get listening(): boolean {
    return this.#listener.listening;
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return this.#listener.listen(port, host);
  }

  /** Stops accepting, drains every session, and drops the connections still open after `graceMs`. */
  stop(graceMs: number): Promise<void> {
    return this.#listener.stop(graceMs);
  }

  #start(socket: Socket, implicitTls: boolean): void {
    // Counted from the accept, so a burst cannot slip past the cap while Redis answers
    if (this.#open.count >= (this.options.maxConnections ?? Number.POSITIVE_INFINITY)) return this.#refuse(socket, 'capacity');
    this.#open.count += 1;
    void this.#admit(socket, implicitTls).catch((error: unknown) => this.deps.log.error({ err: error }, 'IMAP connection admission failed'));
  }

  async #admit(socket: Socket, implicitTls: boolean): Promise<void> {
    let admission;
    try {
      admission = await (this.options.slots ?? unlimitedConnectionSlots).acquire(clientNetwork(socket.remoteAddress ?? '?'), randomUUID());
    } catch (error) {
      this.#open.count -= 1;
      socket.destroy();
      throw error;
    }
    const stopping = this.#listener.stopping;
    if (!admission.admitted || stopping) {
      this.#open.count -= 1;
      if (admission.admitted) await admission.slot.release();
      else this.#refuse(socket, admission.reason);
      if (stopping) socket.destroy();
      return;
    }
    this.#listener.run(new ImapSession(socket, this.deps, implicitTls), async () => {
      this.#open.count -= 1;
      await admission.slot.release();
    });
  }

  #refuse(socket: Socket, reason: ConnectionRefusal): void {
    this.deps.metrics.connectionRefused(reason);
    this.deps.log.info({ remote: socket.remoteAddress, reason }, 'IMAP connection refused by limit');
    socket.on('error', () => undefined);
    socket.write(bye(REFUSALS[reason], 'UNAVAILABLE'));
    void endSocket(socket, 1_000);
  }
}
