/**
 * The POP3 listener: accepts connections, runs one Pop3Session per
 * connection, and on shutdown stops accepting, lets each session finish its
 * current command, and drops what is left after a grace period. The same
 * class serves POP3S (implicit TLS, RFC 8314 §3.3) when given a TLS context.
 * Before the greeting a connection must get past the open-connection limits
 * (limits/connection-slots.ts): this process's cap, then the client
 * network's slots shared in Redis; a refused one gets `-ERR [SYS/TEMP]`.
 */
import { randomUUID } from 'node:crypto';
import { Server, type AddressInfo, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { clientNetwork } from '@mail/login-limits';
import { endSocket, type TlsContextSource } from '@mail/runtime';
import { acceptImplicitTls } from '@mail/tcp-session';
import { connectionRefusedError, unlimitedConnectionSlots, type ConnectionRefusal, type ConnectionSlots } from './limits/connection-slots';
import { Pop3Session, type SessionDependencies } from './session/session';

/** The open-connection limits of a listener. */
export interface ConnectionLimits {
  /** Sessions this process holds at most, over all its listeners (POP3_MAX_CONNECTIONS). */
  readonly maxConnections: number;
  /** Per-network slots shared by the replicas (POP3_MAX_CONNECTIONS_PER_IP). */
  readonly slots: ConnectionSlots;
  /** Counts each refusal, by reason. */
  readonly onRefused?: (reason: ConnectionRefusal) => void;
  /** The sessions counted against maxConnections, shared by the listeners of one process. */
  readonly open?: { count: number };
}

const noLimits: ConnectionLimits = { maxConnections: Number.POSITIVE_INFINITY, slots: unlimitedConnectionSlots };

/** What kind of listener this is. */
export interface ListenerOptions {
  /** Implicit TLS (POP3S): every connection starts with a TLS handshake under the context current when it is accepted. */
  readonly implicitTls?: TlsContextSource;
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

  readonly #counted: { count: number };

  constructor(
    private readonly deps: SessionDependencies,
    private readonly options: ListenerOptions = {},
    private readonly limits: ConnectionLimits = noLimits,
  ) {
    this.#counted = limits.open ?? { count: 0 };
    // Half-open: a client may send its last commands and shut down its side;
    // the replies are still written before the connection is closed.
    this.#server = new Server({ allowHalfOpen: true }, (socket) => {
      socket.setNoDelay(true);
      if (this.options.implicitTls === undefined) this.#open(socket, false);
      else void this.#openAfterHandshake(socket, this.options.implicitTls.current());
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
    // Counted from the accept, so a burst cannot slip past the cap while Redis answers
    if (this.#counted.count >= this.limits.maxConnections) return this.#refuse(socket, 'capacity');
    this.#counted.count += 1;
    void this.#admit(socket, implicitTls).catch((error: unknown) => this.deps.log.error({ err: error }, 'POP3 connection admission failed'));
  }

  async #admit(socket: Socket, implicitTls: boolean): Promise<void> {
    let admission;
    try {
      admission = await this.limits.slots.acquire(clientNetwork(socket.remoteAddress ?? '?'), randomUUID());
    } catch (error) {
      this.#counted.count -= 1;
      throw error;
    }
    if (!admission.admitted || this.#stopping) {
      this.#counted.count -= 1;
      if (admission.admitted) await admission.slot.release();
      else this.#refuse(socket, admission.reason);
      if (this.#stopping) socket.destroy();
      return;
    }
    const session = new Pop3Session(socket, this.deps, implicitTls);
    const ended = session.run().finally(async () => {
      this.#sessions.delete(session);
      this.#counted.count -= 1;
      await admission.slot.release();
    });
    this.#sessions.set(session, ended);
  }

  /** `-ERR [SYS/TEMP]` instead of the greeting (RFC 3206 §4), then close. */
  #refuse(socket: Socket, reason: ConnectionRefusal): void {
    this.limits.onRefused?.(reason);
    this.deps.log.info({ remote: socket.remoteAddress, reason }, 'POP3 connection refused by limit');
    socket.on('error', () => undefined);
    socket.write(connectionRefusedError(reason).toResponse());
    void endSocket(socket, 1_000);
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
