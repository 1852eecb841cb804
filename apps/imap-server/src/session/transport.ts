/**
 * The byte side of one IMAP connection: frames client input into commands
 * with @mail/imap's CommandReader (lines and literals, bounded; RFC 9051
 * §2.2, §4.3), queues the reader's events for the session to take one at a
 * time (a pipelining client is paused when too many wait; the reader waits
 * for the session's decision on each `+`), writes responses
 * with socket backpressure, runs the inactivity timer (RFC 9051 §5.4) and
 * upgrades the connection for STARTTLS (RFC 9051 §6.2.1). The socket work
 * is @mail/tcp-session's FramedTransport, shared with pop3-server.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { CommandReader, type CommandReaderEvent, type CommandReaderLimits } from '@mail/imap';
import { FramedTransport } from '@mail/tcp-session';

/** The reader's request for a `+`, which the session decides (continuation-gate.ts). */
export type ContinueEvent = Extract<CommandReaderEvent, { kind: 'continue' }>;

/** The part of a transport that command handlers use. */
export interface ImapChannel {
  /** Whether TLS is active on the connection (implicit, or after STARTTLS). */
  readonly tlsActive: boolean;
  /** Writes bytes; resolves once the socket accepts more, rejects with ConnectionClosedError. */
  write(data: string | Uint8Array): Promise<void>;
  /** Resolves when an event is waiting or the input ended (does not take it). */
  waitForInput(): Promise<void>;
  /** The next event if one is waiting; undefined otherwise (or after the end: see `ended`). */
  takeEvent(): CommandReaderEvent | undefined;
  /** The next event in order; undefined once the connection is closed or being drained. */
  nextEvent(): Promise<CommandReaderEvent | undefined>;
  /** No more input will come. */
  readonly ended: boolean;
  /** `lines` while an AUTHENTICATE response or IDLE's DONE is expected (RFC 9051 §6.2.2, RFC 2177 §3). */
  setReaderMode(mode: 'commands' | 'lines'): void;
  /** The inactivity timer, changed at login (a shorter one before authentication). */
  setIdleTimeout(ms: number): void;
  /**
   * RFC 9051 §6.2.1: discards pending input, runs `announce` (which writes
   * the tagged OK), then performs the server side of the TLS handshake.
   * @throws ConnectionClosedError if the handshake fails.
   */
  startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void>;
}

/** Settings of a transport. */
export interface TransportOptions {
  readonly idleTimeoutMs: number;
  /** Events at which reading pauses until the session catches up. */
  readonly maxQueuedEvents: number;
  readonly onIdle: () => void;
  readonly implicitTls?: boolean;
  readonly limits?: Partial<CommandReaderLimits>;
}

/** An IMAP connection's framing and output, over a plain or TLS socket. */
export class ImapTransport extends FramedTransport<CommandReaderEvent, CommandReader> implements ImapChannel {
  #undecided: ContinueEvent | undefined;

  constructor(socket: Socket, options: TransportOptions) {
    const { limits, maxQueuedEvents, ...rest } = options;
    // the session decides each `+` (session.ts, continuation-gate.ts)
    super(socket, { ...rest, maxQueued: maxQueuedEvents, newFramer: () => new CommandReader(limits, { decideContinuations: true }) });
  }

  /** The session answered the reader's last 'continue' event: with the `+` (`sent`), or with a refusal instead (RFC 9051 §2.2.1). Input held meanwhile is framed now. */
  settleContinuation(sent: boolean): void {
    this.#undecided = undefined;
    this.queueInput(sent ? this.framer.continueLiteral() : this.framer.refuseLiteral());
  }

  /** A 'continue' event taken and not settled: one a command reading lines (IDLE, AUTHENTICATE) took from a client that pipelined past it, left for the session. */
  get undecidedContinuation(): ContinueEvent | undefined {
    return this.#undecided;
  }

  takeEvent(): CommandReaderEvent | undefined {
    return this.#noted(this.takeInput());
  }

  async nextEvent(): Promise<CommandReaderEvent | undefined> {
    return this.#noted(await this.nextInput());
  }

  #noted(event: CommandReaderEvent | undefined): CommandReaderEvent | undefined {
    if (event?.kind === 'continue') this.#undecided = event;
    return event;
  }

  setReaderMode(mode: 'commands' | 'lines'): void {
    this.framer.mode = mode;
  }
}
