/**
 * The listener side of a mail protocol server (POP3, IMAP): accepts
 * connections (half-open: a client may send its last commands and shut down
 * its side; the replies are still written), runs the implicit-TLS handshake
 * first when it serves POP3S or IMAPS (RFC 8314 §3.3), hands each
 * connection to the protocol's admission, keeps the sessions it starts, and
 * on shutdown stops accepting, asks every session to end after its current
 * command, and aborts those still open after a grace period.
 */
import { Server, type AddressInfo, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { TlsContextSource } from '@mail/runtime';
import { acceptImplicitTls } from './implicit-tls';

/** A session as the listener drives it. */
export interface ListenedSession {
  /** Serves the connection; resolves when the session is over. */
  run(): Promise<void>;
  /** Ends the session after its current command (shutdown). */
  drain(): void;
  /** Ends the session at once (shutdown grace period over). */
  abort(): void;
}

/** Minimal log the listener reports to. */
export interface ListenerLog {
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Settings of a {@link SessionListener}. */
export interface SessionListenerOptions {
  /** Names the listener in logs: `POP3`, `IMAP`. */
  readonly protocol: string;
  /** Implicit-TLS name in logs: `POP3S`, `IMAPS`. */
  readonly implicitTlsProtocol: string;
  readonly log: ListenerLog;
  /** Implicit TLS: every connection starts with a TLS handshake under the context current when it is accepted. */
  readonly implicitTls?: TlsContextSource;
  /** Deadline of that handshake (default 30 s). */
  readonly handshakeTimeoutMs?: number;
  /** Each accepted connection (after the implicit-TLS handshake), while not stopping: starts a session with `run`, or refuses it. */
  readonly onConnection: (socket: Socket, implicitTls: boolean) => void;
}

/** A TCP listener running one session per connection. */
export class SessionListener {
  readonly #server: Server;
  readonly #sessions = new Map<ListenedSession, Promise<void>>();
  /** Implicit-TLS connections still in their handshake (no session yet). */
  readonly #handshakes = new Set<Socket>();
  #stopping = false;

  constructor(private readonly options: SessionListenerOptions) {
    this.#server = new Server({ allowHalfOpen: true }, (socket) => {
      socket.setNoDelay(true);
      if (options.implicitTls === undefined) this.#open(socket, false);
      else void this.#openAfterHandshake(socket, options.implicitTls.current());
    });
    this.#server.on('error', (error) => options.log.error({ err: error }, `${options.protocol} listener error`));
  }

  /** Open sessions right now. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Whether the listener is accepting connections (readiness). */
  get listening(): boolean {
    return this.#server.listening;
  }

  /** Whether stop() was called: admissions still pending must not start a session. */
  get stopping(): boolean {
    return this.#stopping;
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

  /** Runs `session` until it ends, then `onEnd` (release what its admission took); stop() drains it. */
  run(session: ListenedSession, onEnd: () => void | Promise<void>): void {
    const ended = session.run().finally(async () => {
      this.#sessions.delete(session);
      await onEnd();
    });
    this.#sessions.set(session, ended);
  }

  /** Stops accepting, asks every session to end after its current command, and aborts those still open after `graceMs`. */
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
    // A client that resets before its session listens (while the admission asks Redis for a slot) is no uncaught 'error': the session sees the close
    socket.on('error', () => undefined);
    if (this.#stopping) return void socket.destroy();
    this.options.onConnection(socket, implicitTls);
  }

  async #openAfterHandshake(socket: Socket, context: SecureContext): Promise<void> {
    this.#handshakes.add(socket);
    try {
      const secure = await acceptImplicitTls(socket, context, this.options.handshakeTimeoutMs ?? 30_000);
      this.#open(secure, true);
    } catch (error) {
      this.options.log.debug({ err: error, remote: socket.remoteAddress }, `${this.options.implicitTlsProtocol} connection dropped before the TLS handshake finished`);
    } finally {
      this.#handshakes.delete(socket);
    }
  }
}
