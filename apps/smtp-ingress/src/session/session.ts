/**
 * One SMTP session from greeting to close: owns the transport, the state
 * and the dispatcher, and reads commands one at a time. It ends on QUIT, a
 * dropped connection, the idle timeout (421 4.4.2), too many errors (421),
 * or a server shutdown: an idle session gets 421 4.3.2 at once, a busy one
 * finishes its command (a message in DATA is queued and gets its 250)
 * and then gets the 421.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { C220ServiceReady, C421ServiceNotAvailable, EsBadConnection, EsSystemNotAccepting } from '@mail/smtp';
import type { Logger } from '@mail/telemetry';
import type { ReverseDns } from '../dns/reverse-dns';
import type { CommandContext, SessionServices, SessionSettings } from './command-context';
import { CommandDispatcher } from './dispatcher';
import { ConnectionClosedError } from './session-errors';
import { newSessionState, plainClientIp, type ListenerKind, type SessionState } from './session-state';
import { SmtpTransport } from './transport';

/** Everything a session needs from the server. */
export interface SessionDependencies {
  readonly settings: SessionSettings;
  readonly services: SessionServices;
  readonly reverseDns: ReverseDns;
  readonly log: Logger;
  /** RFC 5321 §4.5.3.2.7: how long to wait for the client (at least 5 minutes). */
  readonly idleTimeoutMs: number;
}

/** An SMTP session on one accepted connection. */
export class SmtpSession {
  readonly #state: SessionState;
  readonly #transport: SmtpTransport;
  readonly #ctx: CommandContext;
  readonly #log: Logger;
  #draining = false;
  #waiting = false;
  #timedOut = false;

  constructor(
    socket: Socket,
    listener: ListenerKind,
    private readonly deps: SessionDependencies,
  ) {
    const clientIp = plainClientIp(socket.remoteAddress);
    this.#state = newSessionState(randomUUID(), listener, clientIp, socket.remotePort);
    this.#log = deps.log.child({ session: this.#state.id, listener, clientIp });
    this.#transport = new SmtpTransport(socket, {
      idleTimeoutMs: deps.idleTimeoutMs,
      onIdle: () => this.#idleTimeout(),
      onReply: (code) => deps.services.metrics.replySent(code),
    });
    this.#ctx = {
      state: this.#state,
      channel: this.#transport,
      settings: deps.settings,
      services: deps.services,
      log: this.#log,
      clientHostname: deps.reverseDns.lookup(clientIp),
    };
  }

  /** Greets, runs commands until the session ends, then closes. Never rejects. */
  async run(): Promise<void> {
    const { hostname } = this.deps.settings;
    this.deps.services.metrics.connectionOpened(this.#state.listener);
    this.#log.debug('session opened');
    try {
      // RFC 5321 §4.2, RFC 2034 §3: the greeting carries no enhanced code
      if (!this.#draining) await this.#transport.reply(C220ServiceReady, undefined, `${hostname} ESMTP`);
      const dispatcher = new CommandDispatcher(this.#ctx);
      for (;;) {
        if (this.#draining) break;
        this.#waiting = true;
        const line = await this.#transport.nextLine();
        this.#waiting = false;
        if (this.#draining || this.#timedOut || line === undefined) break;
        if ((await dispatcher.dispatch(line)) === 'close') break;
      }
      // RFC 5321 §3.8: the server may close with 421 when shutting down
      if (this.#draining && !this.#timedOut) {
        await this.#transport.reply(C421ServiceNotAvailable, EsSystemNotAccepting, `${hostname} Service shutting down, closing connection`);
      }
    } catch (error) {
      if (!(error instanceof ConnectionClosedError)) this.#log.error({ err: error }, 'session failed');
    } finally {
      await this.#transport.close();
      this.#log.debug({ helo: this.#state.helo?.name, tls: this.#state.tls }, 'session closed');
    }
  }

  /** Ends the session at the next command boundary (server shutdown); an idle session at once. */
  drain(): void {
    this.#draining = true;
    if (this.#waiting) this.#transport.interrupt();
  }

  /** Drops the connection at once (drain deadline passed). */
  abort(): void {
    this.#transport.destroy();
  }

  // RFC 5321 §4.5.3.2.7: the client was silent too long; 421 and close
  #idleTimeout(): void {
    this.#timedOut = true;
    this.#log.info('idle timeout');
    const text = `${this.deps.settings.hostname} Timeout waiting for client input, closing connection`;
    // The reply is queued before the close, which flushes it; the pending read then ends
    this.#transport.reply(C421ServiceNotAvailable, EsBadConnection, text).catch(() => undefined);
    void this.#transport.close(1_000);
  }
}
