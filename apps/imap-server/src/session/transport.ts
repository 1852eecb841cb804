/**
 * The byte side of one IMAP connection: frames client input into commands
 * with @mail/imap's CommandReader (lines and literals, bounded; RFC 9051
 * §2.2, §4.3), queues the reader's events for the session to take one at a
 * time (a pipelining client is paused when too many wait), writes responses
 * with socket backpressure, runs the inactivity timer (RFC 9051 §5.4) and
 * upgrades the connection for STARTTLS (RFC 9051 §6.2.1).
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { CommandReader, type CommandReaderEvent, type CommandReaderLimits } from '@mail/imap';
import { endSocket, writeWithBackpressure } from '@mail/runtime';
import { ConnectionClosedError } from './session-errors';

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
export class ImapTransport implements ImapChannel {
  #socket: Socket;
  #reader: CommandReader;
  #queue: CommandReaderEvent[] = [];
  #wake: (() => void) | undefined;
  #inputEnded = false;
  #tlsActive: boolean;
  #idleTimeoutMs: number;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onEnd = (): void => this.#endInput();
  readonly #onTimeout = (): void => this.options.onIdle();

  constructor(
    socket: Socket,
    private readonly options: TransportOptions,
  ) {
    this.#socket = socket;
    this.#reader = new CommandReader(options.limits);
    this.#tlsActive = options.implicitTls === true;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#attach(socket);
  }

  get tlsActive(): boolean {
    return this.#tlsActive;
  }

  get ended(): boolean {
    return this.#inputEnded && this.#queue.length === 0;
  }

  async waitForInput(): Promise<void> {
    if (this.#queue.length > 0 || this.#inputEnded) return;
    await new Promise<void>((resolve) => (this.#wake = resolve));
  }

  takeEvent(): CommandReaderEvent | undefined {
    const event = this.#queue.shift();
    if (event !== undefined && this.#socket.isPaused() && this.#queue.length <= this.options.maxQueuedEvents / 2) this.#socket.resume();
    return event;
  }

  async nextEvent(): Promise<CommandReaderEvent | undefined> {
    for (;;) {
      const event = this.takeEvent();
      if (event !== undefined) return event;
      if (this.#inputEnded) return undefined;
      await this.waitForInput();
    }
  }

  setReaderMode(mode: 'commands' | 'lines'): void {
    this.#reader.mode = mode;
  }

  setIdleTimeout(ms: number): void {
    this.#idleTimeoutMs = ms;
    this.#socket.setTimeout(ms);
  }

  write(data: string | Uint8Array): Promise<void> {
    return writeWithBackpressure(this.#socket, data, (detail) => new ConnectionClosedError(detail));
  }

  async startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void> {
    const plain = this.#socket;
    // RFC 9051 §6.2.1 (and RFC 3207 §6 for the same attack on SMTP): input
    // pipelined after STARTTLS came in plain text and must not run as if it came over TLS.
    this.#detach(plain);
    plain.pause();
    plain.on('error', () => undefined);
    this.#queue = [];
    this.#reader = new CommandReader(this.options.limits);
    await announce();
    const secure = new TLSSocket(plain, { isServer: true, secureContext });
    this.#socket = secure;
    this.#attach(secure);
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        secure.off('secure', onSecure);
        secure.off('error', onFailure);
        secure.off('close', onFailure);
        if (error === undefined) resolve();
        else reject(new ConnectionClosedError('TLS handshake failed', { cause: error }));
      };
      const onSecure = (): void => settle();
      const onFailure = (error?: Error | boolean): void => settle(error instanceof Error ? error : new Error('connection closed'));
      secure.once('secure', onSecure);
      secure.once('error', onFailure);
      secure.once('close', onFailure);
    });
    this.#tlsActive = true;
  }

  /** Stops handing out events: nextEvent() returns undefined from now on (drain on shutdown). */
  stopReading(): void {
    this.#queue = [];
    this.#endInput();
  }

  /** Flushes what was written and closes the connection; destroys it if the peer does not close within `graceMs`. */
  async close(graceMs = 5_000): Promise<void> {
    this.stopReading();
    await endSocket(this.#socket, graceMs);
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.stopReading();
    this.#socket.destroy();
  }

  #attach(socket: Socket): void {
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onEnd);
    socket.setTimeout(this.#idleTimeoutMs, this.#onTimeout);
  }

  #detach(socket: Socket): void {
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onEnd);
    socket.off('error', this.#onEnd);
    socket.setTimeout(0);
    socket.off('timeout', this.#onTimeout);
  }

  #receive(chunk: Buffer): void {
    if (this.#inputEnded) return;
    const events = this.#reader.push(chunk);
    if (events.length === 0) return;
    this.#queue.push(...events);
    // Bound what a pipelining client can make the server hold (each command is itself bounded by the reader's limits)
    if (this.#queue.length >= this.options.maxQueuedEvents) this.#socket.pause();
    this.#signal();
  }

  #endInput(): void {
    this.#inputEnded = true;
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
