/**
 * The IMAP listener: accepts connections, runs one ImapSession per
 * connection, and on shutdown stops accepting, ends IDLE at once and lets
 * each other session finish its current command (then BYE), and drops what
 * is left after a grace period. The same class serves IMAPS (implicit TLS,
 * RFC 8314 §3.3) when given a TLS context. Connections over the process's
 * cap get `* BYE [UNAVAILABLE]` instead of the greeting (RFC 9051 §7.1.5).
 * Accepting, the handshake and the drain are @mail/tcp-session's
 * SessionListener, shared with pop3-server.
 */
import type { AddressInfo, Socket } from 'node:net';
import { bye } from '@mail/imap';
import { endSocket, type TlsContextSource } from '@mail/runtime';
import { SessionListener } from '@mail/tcp-session';
import { ImapSession, type SessionDependencies } from './session/session';

/** What kind of listener this is. */
export interface ListenerOptions {
  /** Implicit TLS (IMAPS): every connection starts with a TLS handshake under this context. */
  readonly implicitTls?: TlsContextSource;
  readonly handshakeTimeoutMs?: number;
  /** Sessions this process holds at most, over all its listeners (IMAP_MAX_CONNECTIONS). */
  readonly maxConnections?: number;
  /** The count against maxConnections, shared by the listeners of one process. */
  readonly open?: { count: number };
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
    if (this.#open.count >= (this.options.maxConnections ?? Number.POSITIVE_INFINITY)) return this.#refuse(socket);
    this.#open.count += 1;
    this.#listener.run(new ImapSession(socket, this.deps, implicitTls), () => {
      this.#open.count -= 1;
    });
  }

  #refuse(socket: Socket): void {
    this.deps.metrics.connectionRefused();
    this.deps.log.info({ remote: socket.remoteAddress }, 'IMAP connection refused: too many open connections');
    socket.on('error', () => undefined);
    socket.write(bye('Too many open connections on this server, try again later', 'UNAVAILABLE'));
    void endSocket(socket, 1_000);
  }
}
