/**
 * The POP3 listener: accepts connections, runs one Pop3Session per
 * connection, and on shutdown stops accepting, lets each session finish its
 * current command, and drops what is left after a grace period. The same
 * class serves POP3S (implicit TLS, RFC 8314 §3.3) when given a TLS context.
 */
import { Server, type AddressInfo, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { acceptImplicitTls } from './session/implicit-tls';
import { Pop3Session, type SessionDependencies } from './session/session';

/** What kind of listener this is. */
export interface ListenerOptions {
  /** Implicit TLS (POP3S): every connection starts with a TLS handshake under this context. */
  readonly implicitTls?: SecureContext;
  /** Deadline of that handshake (default 30 s). */
  readonly handshakeTimeoutMs?: number;
}

/** A listening POP3 server. */
export class Pop3Server {
  readonly #server: Server;
  readonly #sessions = new Map<Pop3Session, Promise<void>>();
  /** POP3S connections still in their TLS handshake (no session yet). */
  readonly #handshakes = new Set<Socket>();
  #stopping = false;

  constructor(
    private readonly deps: SessionDependencies,
    private readonly options: ListenerOptions = {},
  ) {
    // Half-open: a client may send its last commands and shut down its side;
    // the replies are still written before the connection is closed.
    this.#server = new Server({ allowHalfOpen: true }, (socket) => {
      socket.setNoDelay(true);
      if (this.options.implicitTls === undefined) this.#open(socket, false);
      else void this.#openAfterHandshake(socket, this.options.implicitTls);
    });
    this.#server.on('error', (error) => deps.log.error({ err: error }, 'POP3 listener error'));
  }

  /** Open sessions right now. */
  get sessionCount(): number {
    return this.#sessions.size;
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

  /** Whether the listener is accepting connections (readiness). */
  get listening(): boolean {
    return this.#server.listening;
  }

  /**
   * Stops accepting, asks every session to end after its current command,
   * and drops the connections still open after `graceMs`. Maildrop locks are
   * released either way; nothing is deleted without QUIT.
   */
  async stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#handshakes) socket.destroy();
    for (const session of this.#sessions.keys()) session.drain();
    const finished = Promise.all(this.#sessions.values());
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([finished, deadline])) === 'late') {
      for (const session of this.#sessions.keys()) session.abort();
    }
    clearTimeout(timer);
    await finished;
    await closed;
  }

  #open(socket: Socket, implicitTls: boolean): void {
    const session = new Pop3Session(socket, this.deps, implicitTls);
    this.#sessions.set(session, session.run().finally(() => this.#sessions.delete(session)));
  }

  async #openAfterHandshake(socket: Socket, context: SecureContext): Promise<void> {
    this.#handshakes.add(socket);
    try {
      const secure = await acceptImplicitTls(socket, context, this.options.handshakeTimeoutMs ?? 30_000);
      if (this.#stopping) secure.destroy();
      else this.#open(secure, true);
    } catch (error) {
      this.deps.log.debug({ err: error, remote: socket.remoteAddress }, 'POP3S connection dropped before the TLS handshake finished');
    } finally {
      this.#handshakes.delete(socket);
    }
  }
}
