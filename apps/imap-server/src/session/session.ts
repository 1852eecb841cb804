/**
 * One IMAP session from greeting to close: owns the transport, the state
 * and the dispatcher, takes the reader's events one at a time (a command,
 * a `+` to send for a synchronizing literal, a refusal), and on every way
 * out (LOGOUT, dropped connection, autologout, shutdown) stops the selected
 * mailbox's notices. The session is one trace span.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { clientNetwork } from '@mail/login-limits';
import { bye, continuation, formatStatusResponse } from '@mail/imap';
import { runInSpan, type Logger } from '@mail/telemetry';
import { ConnectionClosedError } from '@mail/tcp-session';
import { capabilities } from './capabilities';
import type { CommandContext, SessionServices, SessionSettings } from './command-context';
import { CommandDispatcher } from './dispatcher';
import { deselect, newSessionState, userOf, type SessionState } from './session-state';
import { ImapTransport } from './transport';

/** Everything a session needs from the server. */
export interface SessionDependencies extends SessionServices {
  readonly settings: SessionSettings;
  readonly log: Logger;
  /** Inactivity allowed before login (RFC 9051 §5.4 lets it be shorter than the 30 minutes after). */
  readonly loginTimeoutMs: number;
}

/** Reader events a pipelining client may have queued before the server stops reading. */
const MAX_QUEUED_EVENTS = 64;

const tracer = trace.getTracer('imap-server');

/** An IMAP session on one accepted connection. */
export class ImapSession {
  readonly #state: SessionState;
  readonly #transport: ImapTransport;
  readonly #ctx: CommandContext;
  readonly #log: Logger;
  readonly #implicitTls: boolean;
  #draining = false;

  constructor(
    socket: Socket,
    private readonly deps: SessionDependencies,
    implicitTls = false,
  ) {
    this.#implicitTls = implicitTls;
    const address = socket.remoteAddress ?? '?';
    this.#state = newSessionState(randomUUID(), address, socket.remotePort, clientNetwork(address));
    this.#log = deps.log.child({ session: this.#state.id });
    this.#transport = new ImapTransport(socket, { idleTimeoutMs: deps.loginTimeoutMs, maxQueuedEvents: MAX_QUEUED_EVENTS, onIdle: () => this.#autologout(), implicitTls });
    this.#ctx = { ...deps, session: this.#state, channel: this.#transport, log: this.#log };
  }

  /** Greets, runs commands until the session ends, then cleans up — in the session's span. Never rejects. */
  run(): Promise<void> {
    const listener = this.#implicitTls ? 'imaps' : 'imap';
    const span = tracer.startSpan('imap session', {
      kind: SpanKind.SERVER,
      root: true,
      attributes: { 'mail.imap.listener': listener, 'mail.imap.session_id': this.#state.id, 'network.transport': 'tcp' },
    });
    return runInSpan(span, () => this.#run());
  }

  async #run(): Promise<void> {
    this.deps.metrics.sessionStarted();
    this.#log.info({ remote: this.#state.remoteAddress, tls: this.#transport.tlsActive }, 'session opened');
    try {
      // RFC 9051 §7.1.1: the greeting, with the capabilities (saves a round trip)
      await this.#transport.write(
        formatStatusResponse({ status: 'OK', code: { kind: 'CAPABILITY', capabilities: capabilities(this.#ctx) }, text: `${this.deps.settings.hostname} IMAP4rev2 server ready` }),
      );
      const dispatcher = new CommandDispatcher(this.#ctx);
      while (!this.#draining) {
        const event = await this.#transport.nextEvent();
        if (event === undefined) break;
        let outcome: 'continue' | 'close' = 'continue';
        if (event.kind === 'continue') await this.#transport.write(continuation());
        else if (event.kind === 'refused') outcome = await dispatcher.refuse(event.error);
        else outcome = await dispatcher.dispatch(event.command);
        if (outcome === 'close') break;
        if (userOf(this.#state) !== undefined) this.#transport.setIdleTimeout(this.deps.settings.idleTimeoutMs);
      }
      // RFC 9051 §7.1.5: a server going away says BYE
      if (this.#draining) await this.#transport.write(bye('Server shutting down, reconnect', 'UNAVAILABLE'));
    } catch (error) {
      if (!(error instanceof ConnectionClosedError)) this.#log.error({ err: error }, 'session failed');
    } finally {
      await this.#finish();
    }
  }

  /** Ends the session after its current command (server shutdown); an IDLE ends at once. */
  drain(): void {
    this.#draining = true;
    this.#transport.stopReading();
    this.#state.onChange?.();
  }

  /** Drops the connection at once. */
  abort(): void {
    this.#transport.destroy();
  }

  // RFC 9051 §5.4: the inactivity autologout timer expired
  #autologout(): void {
    this.#log.info({ user: userOf(this.#state) }, 'autologout after inactivity');
    this.#transport.write(bye('Autologout; idle for too long')).catch(() => undefined);
    void this.#transport.close(1_000);
  }

  async #finish(): Promise<void> {
    deselect(this.#state);
    this.#state.protocol = { kind: 'logout' };
    await this.#transport.close();
    this.deps.metrics.sessionEnded();
    this.#log.info({ remote: this.#state.remoteAddress }, 'session closed');
  }
}
