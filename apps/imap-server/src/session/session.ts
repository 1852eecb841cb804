/**
 * One IMAP session from greeting to close: owns the transport, the state
 * and the dispatcher, takes the reader's events one at a time (a command,
 * a synchronizing literal's `+` to send or to refuse, a refusal, the octets of an
 * APPEND message streamed to the object store: append-uploads.ts), and on
 * every way out (LOGOUT, dropped connection, autologout, shutdown) stops
 * the selected mailbox's notices. The session is one trace span.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { clientNetwork } from '@mail/login-limits';
import { APPEND_MAX_OCTETS, INLINE_BODY_MAX_OCTETS } from '@mail/contracts';
import { bye, continuation, formatStatusResponse, type CommandReaderLimits } from '@mail/imap';
import { runInSpan, type Logger } from '@mail/telemetry';
import { ConnectionClosedError } from '@mail/tcp-session';
import { AppendUploads } from './append-uploads';
import { capabilities } from './capabilities';
import type { CommandContext, SessionServices, SessionSettings } from './command-context';
import { continuationRefusal } from './continuation-gate';
import { CommandDispatcher, type DispatchOutcome } from './dispatcher';
import { deselect, newSessionState, userOf, type SessionState } from './session-state';
import { ImapTransport, type ContinueEvent } from './transport';

/** Everything a session needs from the server. */
export interface SessionDependencies extends SessionServices {
  readonly settings: SessionSettings;
  readonly log: Logger;
  /** Inactivity allowed before login (RFC 9051 §5.4 lets it be shorter than the 30 minutes after). */
  readonly loginTimeoutMs: number;
}

/** Reader events a pipelining client may have queued before the server stops reading. */
const MAX_QUEUED_EVENTS = 64;

/**
 * RFC 7889: a message over APPENDLIMIT (capabilities.ts advertises
 * APPEND_MAX_OCTETS) is refused before its `+`; sent as a non-synchronizing
 * literal anyway (RFC 7888), it is read and thrown away up to twice the
 * limit, and the connection closed beyond. Messages over the inline size
 * are streamed to the object store, not kept (append-uploads.ts).
 */
const READER_LIMITS: Partial<CommandReaderLimits> = {
  maxAppendLiteralSize: APPEND_MAX_OCTETS,
  // one message (no MULTIAPPEND) and the command's lines
  maxAppendCommandSize: APPEND_MAX_OCTETS + 64 * 1024,
  maxDiscardedAppendLiteral: 2 * APPEND_MAX_OCTETS,
  streamAppendLiteralsOver: INLINE_BODY_MAX_OCTETS,
};

const tracer = trace.getTracer('imap-server');

/** An IMAP session on one accepted connection. */
export class ImapSession {
  readonly #state: SessionState;
  readonly #transport: ImapTransport;
  readonly #ctx: CommandContext;
  readonly #log: Logger;
  readonly #uploads: AppendUploads;
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
    this.#transport = new ImapTransport(socket, {
      idleTimeoutMs: deps.loginTimeoutMs,
      maxQueuedEvents: MAX_QUEUED_EVENTS,
      onIdle: () => this.#autologout(),
      implicitTls,
      limits: READER_LIMITS,
    });
    this.#uploads = new AppendUploads(deps.store);
    this.#ctx = { ...deps, session: this.#state, channel: this.#transport, log: this.#log, uploads: this.#uploads };
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
        let outcome: DispatchOutcome = 'continue';
        if (event.kind === 'continue') outcome = await this.#continuation(event, dispatcher);
        else if (event.kind === 'literal-start') this.#uploads.start(event, userOf(this.#state) !== undefined);
        else if (event.kind === 'literal-data') await this.#uploads.write(event.data);
        else {
          outcome = event.kind === 'refused' ? await dispatcher.refuse(event.error) : await dispatcher.dispatch(event.command);
          // what no command took: a refused APPEND, a streamed literal that was not its message
          await this.#uploads.discard();
          // a continuation a command reading lines took in passing is still to be decided
          const undecided = this.#transport.undecidedContinuation;
          if (outcome === 'continue' && undecided !== undefined) outcome = await this.#continuation(undecided, dispatcher);
        }
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

  /**
   * A synchronizing literal comes next: the `+` (RFC 9051 §7.5), or the
   * command's refusal instead when it cannot succeed (RFC 9051 §2.2.1,
   * continuation-gate.ts), so that the client does not send the literal.
   */
  async #continuation(event: ContinueEvent, dispatcher: CommandDispatcher): Promise<DispatchOutcome> {
    const refusal = await continuationRefusal(this.#ctx, event.command);
    if (refusal === undefined) {
      await this.#transport.write(continuation());
      this.#transport.settleContinuation(true);
      return 'continue';
    }
    this.#transport.settleContinuation(false);
    const outcome = await dispatcher.refuse(refusal.error, refusal.command);
    // an earlier message of the command (MULTIAPPEND) may have been streamed already
    await this.#uploads.discard();
    return outcome;
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
    await this.#uploads.discard();
    deselect(this.#state);
    this.#state.protocol = { kind: 'logout' };
    await this.#transport.close();
    this.deps.metrics.sessionEnded();
    this.#log.info({ remote: this.#state.remoteAddress }, 'session closed');
  }
}
