/**
 * One POP3 session from greeting to close: owns the transport, the state and
 * the dispatcher, reads commands one at a time, and on every way out
 * (QUIT, dropped connection, autologout, shutdown) releases the maildrop lock
 * without deleting anything that QUIT did not commit (RFC 1939 §6). The
 * session is one trace span, each RETR a child of it (session-span.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { clientNetwork } from '@mail/login-limits';
import { err, makeApopTimestamp, ok } from '@mail/pop3';
import type { Logger } from '@mail/telemetry';
import { ConnectionClosedError } from '@mail/tcp-session';
import type { CommandContext, SessionServices, SessionSettings } from './command-context';
import { CommandDispatcher } from './dispatcher';
import { inSessionSpan } from './session-span';
import { newSessionState, type SessionState } from './session-state';
import { Pop3Transport } from './transport';

/** Everything a session needs from the server. */
export interface SessionDependencies extends SessionServices {
  readonly settings: SessionSettings;
  readonly log: Logger;
  /** RFC 1939 §3: the autologout timer (at least 10 minutes in production). */
  readonly idleTimeoutMs: number;
}

/** Lines a pipelining client may have queued before the server stops reading (RFC 2449 §6.6). */
const MAX_QUEUED_LINES = 100;

/** A POP3 session on one accepted connection. */
export class Pop3Session {
  readonly #state: SessionState;
  readonly #transport: Pop3Transport;
  readonly #ctx: CommandContext;
  readonly #log: Logger;
  readonly #implicitTls: boolean;

  /** `implicitTls`: the socket is already TLS (the POP3S listener). */
  constructor(
    socket: Socket,
    private readonly deps: SessionDependencies,
    implicitTls = false,
  ) {
    this.#implicitTls = implicitTls;
    const address = socket.remoteAddress ?? '?';
    this.#state = newSessionState(randomUUID(), `${address}:${socket.remotePort ?? '?'}`, clientNetwork(address));
    this.#log = deps.log.child({ session: this.#state.id });
    this.#transport = new Pop3Transport(socket, {
      idleTimeoutMs: deps.idleTimeoutMs,
      maxQueuedLines: MAX_QUEUED_LINES,
      onIdle: () => this.#autologout(),
      implicitTls,
    });
    this.#ctx = { ...deps, session: this.#state, channel: this.#transport, log: this.#log };
  }

  /** Greets, runs commands until the session ends, then cleans up — in the session's span. Never rejects. */
  run(): Promise<void> {
    return inSessionSpan(this.#implicitTls ? 'pop3s' : 'pop3', this.#state.id, () => this.#run());
  }

  async #run(): Promise<void> {
    const { hostname } = this.deps.settings;
    this.deps.metrics.sessionStarted();
    this.#log.info({ remote: this.#state.remoteAddress, tls: this.#transport.tlsActive }, 'session opened');
    try {
      // RFC 1939 §4: the greeting. RFC 1939 §7: a server that offers APOP puts a
      // fresh timestamp in it; without APOP there is none, so clients (curl) do not try it.
      if (this.deps.settings.apopEnabled) this.#state.apopTimestamp = makeApopTimestamp(hostname);
      const timestamp = this.#state.apopTimestamp === undefined ? '' : ` ${this.#state.apopTimestamp}`;
      await this.#transport.write(ok(`${hostname} POP3 server ready${timestamp}`));
      const dispatcher = new CommandDispatcher(this.#ctx);
      for (;;) {
        const line = await this.#transport.nextLine();
        if (line === undefined) break;
        if ((await dispatcher.dispatch(line)) === 'close') break;
      }
    } catch (error) {
      if (!(error instanceof ConnectionClosedError)) this.#log.error({ err: error }, 'session failed');
    } finally {
      await this.#finish();
    }
  }

  /** Ends the session after its current command (server shutdown). */
  drain(): void {
    this.#transport.stopReading();
  }

  /** Drops the connection at once. */
  abort(): void {
    this.#transport.destroy();
  }

  // RFC 1939 §3: the autologout timer expired; the session does NOT enter UPDATE.
  #autologout(): void {
    this.#log.info({ user: this.#state.user }, 'autologout after inactivity');
    this.#transport.write(err('autologout, idle for too long')).catch(() => undefined);
    void this.#transport.close(1_000);
  }

  async #finish(): Promise<void> {
    // A session that ends anywhere but in QUIT's UPDATE deletes nothing (RFC 1939 §6).
    await this.#state.lock?.release();
    this.#state.lock = undefined;
    await this.#transport.close();
    this.deps.metrics.sessionEnded();
    this.#log.info({ user: this.#state.user, state: this.#state.state }, 'session closed');
  }
}
