/**
 * The IMAP listener: accepts connections, runs one ImapSession per
 * connection, and on shutdown stops accepting, ends IDLE at once and lets
 * each other session finish its current command (then BYE), and drops what
 * is left after a grace period. The same class serves IMAPS (implicit TLS,
 * RFC 8314 §3.3) when given a TLS context. Connections over the process's
 * cap get `* BYE [UNAVAILABLE]` instead of the greeting (RFC 9051 §7.1.5).
 */
import { Server, type AddressInfo, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { bye } from '@mail/imap';
import { endSocket, type TlsContextSource } from '@mail/runtime';
import { acceptImplicitTls } from '@mail/tcp-session';
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
  readonly #server: Server;
  readonly #sessions = new Map<ImapSession, Promise<void>>();
  readonly #handshakes = new Set<Socket>();
  readonly #open: { count: number };
  #stopping = false;

  constructor(
    private readonly deps: SessionDependencies,
    private readonly options: ListenerOptions = {},
  ) {
    this.#open = options.open ?? { count: 0 };
    this.#server = new Server({ allowHalfOpen: true }, (socket) => {
      socket.setNoDelay(true);
      if (this.options.implicitTls === undefined) this.#start(socket, false);
      else void this.#startAfterHandshake(socket, this.options.implicitTls.current());
    });
    this.#server.on('error', (error) => deps.log.error({ err: error }, 'IMAP listener error'));
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  get listening(): boolean {
    return this.#server.listening;
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, drains every session, and drops the connections still open after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#handshakes) socket.destroy();
    for (const session of this.#sessions.keys()) session.drain();
    const finished = Promise.all(this.#sessions.values());
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([finished, deadline])) === 'late') for (const session of this.#sessions.keys()) session.abort();
    clearTimeout(timer);
    await finished;
    await closed;
  }

  #start(socket: Socket, implicitTls: boolean): void {
    if (this.#stopping) return void socket.destroy();
    if (this.#open.count >= (this.options.maxConnections ?? Number.POSITIVE_INFINITY)) return this.#refuse(socket);
    this.#open.count += 1;
    const session = new ImapSession(socket, this.deps, implicitTls);
    const ended = session.run().finally(() => {
      this.#sessions.delete(session);
      this.#open.count -= 1;
    });
    this.#sessions.set(session, ended);
  }

  #refuse(socket: Socket): void {
    this.deps.metrics.connectionRefused();
    this.deps.log.info({ remote: socket.remoteAddress }, 'IMAP connection refused: too many open connections');
    socket.on('error', () => undefined);
    socket.write(bye('Too many open connections on this server, try again later', 'UNAVAILABLE'));
    void endSocket(socket, 1_000);
  }

  async #startAfterHandshake(socket: Socket, context: SecureContext): Promise<void> {
    this.#handshakes.add(socket);
    try {
      const secure = await acceptImplicitTls(socket, context, this.options.handshakeTimeoutMs ?? 30_000);
      this.#start(secure, true);
    } catch (error) {
      this.deps.log.debug({ err: error, remote: socket.remoteAddress }, 'IMAPS connection dropped before the TLS handshake finished');
    } finally {
      this.#handshakes.delete(socket);
    }
  }
}
