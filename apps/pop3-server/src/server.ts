/**
 * The POP3 listener: accepts connections, runs one Pop3Session per
 * connection, and on shutdown stops accepting, lets each session finish its
 * current command, and drops what is left after a grace period. The same
 * class serves POP3S (implicit TLS, RFC 8314 §3.3) when given a TLS context.
 * Before the greeting a connection must get past the open-connection limits
 * (limits/connection-slots.ts): this process's cap, then the client
 * network's slots shared in Redis; a refused one gets `-ERR [SYS/TEMP]`.
 * Accepting, the handshake and the drain are @mail/tcp-session's
 * SessionListener, shared with imap-server.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { clientNetwork, unlimitedConnectionSlots, type ConnectionRefusal, type ConnectionSlots } from '@mail/login-limits';
import { endSocket, type TlsContextSource } from '@mail/runtime';
import { SessionListener } from '@mail/tcp-session';
import { connectionRefusedError } from './limits/connection-slots';
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
  readonly #listener: SessionListener;
  readonly #counted: { count: number };

  constructor(
    private readonly deps: SessionDependencies,
    options: ListenerOptions = {},
    private readonly limits: ConnectionLimits = noLimits,
  ) {
    this.#counted = limits.open ?? { count: 0 };
    this.#listener = new SessionListener({
      protocol: 'POP3',
      implicitTlsProtocol: 'POP3S',
      log: deps.log,
      implicitTls: options.implicitTls,
      handshakeTimeoutMs: options.handshakeTimeoutMs,
      onConnection: (socket, implicitTls) => this.#open(socket, implicitTls),
    });
  }

  /** Open sessions right now. */
  get sessionCount(): number {
    return this.#listener.sessionCount;
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free one). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return this.#listener.listen(port, host);
  }

  /** Whether the listener is accepting connections (readiness). */
  get listening(): boolean {
    return this.#listener.listening;
  }

  /**
   * Stops accepting, asks every session to end after its current command,
   * and drops the connections still open after `graceMs`. Maildrop locks are
   * released either way; nothing is deleted without QUIT.
   */
  stop(graceMs: number): Promise<void> {
    return this.#listener.stop(graceMs);
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
    const stopping = this.#listener.stopping;
    if (!admission.admitted || stopping) {
      this.#counted.count -= 1;
      if (admission.admitted) await admission.slot.release();
      else this.#refuse(socket, admission.reason);
      if (stopping) socket.destroy();
      return;
    }
    this.#listener.run(new Pop3Session(socket, this.deps, implicitTls), async () => {
      this.#counted.count -= 1;
      await admission.slot.release();
    });
  }

  /** `-ERR [SYS/TEMP]` instead of the greeting (RFC 3206 §4), then close. */
  #refuse(socket: Socket, reason: ConnectionRefusal): void {
    this.limits.onRefused?.(reason);
    this.deps.log.info({ remote: socket.remoteAddress, reason }, 'POP3 connection refused by limit');
    socket.on('error', () => undefined);
    socket.write(connectionRefusedError(reason).toResponse());
    void endSocket(socket, 1_000);
  }
}
