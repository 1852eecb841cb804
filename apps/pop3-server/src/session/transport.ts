/**
 * The byte side of one POP3 connection: frames client input into command
 * lines (RFC 1939 §3, with RFC 2449 §6.6 pipelining: lines queue up and are
 * taken one at a time), writes replies with socket backpressure, runs the
 * autologout timer, and upgrades the connection to TLS for STLS (RFC 2595).
 */
import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import { CommandLineSplitter, type Pop3InputLine } from '@mail/pop3';
import { endSocket, writeWithBackpressure } from '@mail/runtime';
import { ConnectionClosedError } from './session-errors';

/** The part of a transport that command handlers use. */
export interface Pop3Channel {
  /** Whether TLS is active on the connection (after STLS). */
  readonly tlsActive: boolean;
  /** Writes bytes; resolves once the socket accepts more, rejects with ConnectionClosedError. */
  write(data: string | Uint8Array): Promise<void>;
  /** The next client line in order; undefined once the connection is closed or being drained. */
  nextLine(): Promise<Pop3InputLine | undefined>;
  /** Longest accepted input line, CRLF included (raised during SASL exchanges). */
  maxLineOctets: number;
  /**
   * Discards pending input, stops reading, runs `announce` (which writes the
   * `+OK`) and performs the server side of the TLS handshake (RFC 2595 §4).
   * @throws ConnectionClosedError if the handshake fails.
   */
  startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void>;
}

/** Settings of a transport. */
export interface TransportOptions {
  /** Inactivity before `onIdle` is called (RFC 1939 §3 autologout timer). */
  readonly idleTimeoutMs: number;
  /** Queued lines at which reading pauses until the session catches up. */
  readonly maxQueuedLines: number;
  /** Called when the autologout timer expires. */
  readonly onIdle: () => void;
  /** The socket is TLS from the first byte (POP3S, RFC 8314 §3.3): STLS is not offered. */
  readonly implicitTls?: boolean;
}

/** A POP3 connection's framing and output, over a plain or TLS socket. */
export class Pop3Transport implements Pop3Channel {
  #socket: Socket;
  #splitter = new CommandLineSplitter();
  #queue: Pop3InputLine[] = [];
  #wake: (() => void) | undefined;
  #inputEnded = false;
  #tlsActive = false;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onEnd = (): void => this.#endInput();
  readonly #onTimeout = (): void => this.options.onIdle();

  constructor(
    socket: Socket,
    private readonly options: TransportOptions,
  ) {
    this.#socket = socket;
    this.#tlsActive = options.implicitTls === true;
    this.#attach(socket);
  }

  get tlsActive(): boolean {
    return this.#tlsActive;
  }

  get maxLineOctets(): number {
    return this.#splitter.maxLineOctets;
  }

  set maxLineOctets(value: number) {
    this.#splitter.maxLineOctets = value;
  }

  async nextLine(): Promise<Pop3InputLine | undefined> {
    for (;;) {
      const line = this.#queue.shift();
      if (line !== undefined) {
        if (this.#socket.isPaused() && this.#queue.length <= this.options.maxQueuedLines / 2) this.#socket.resume();
        return line;
      }
      if (this.#inputEnded) return undefined;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  write(data: string | Uint8Array): Promise<void> {
    return writeWithBackpressure(this.#socket, data, (detail) => new ConnectionClosedError(detail));
  }

  async startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void> {
    const plain = this.#socket;
    // RFC 2595 §4 (and RFC 3207 §6 for the same attack on SMTP): input that
    // arrived before the handshake was pipelined in plain text and must not be
    // executed as if it came over TLS.
    this.#detach(plain);
    plain.pause();
    // The TLS socket reports failures from now on; keep a late error on the
    // raw socket from becoming an uncaught exception.
    plain.on('error', () => undefined);
    this.#queue = [];
    this.#splitter = new CommandLineSplitter();
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
      // A close without an error: the peer left, or the autologout timer dropped a stalled handshake.
      const onFailure = (error?: Error | boolean): void => settle(error instanceof Error ? error : new Error('connection closed'));
      secure.once('secure', onSecure);
      secure.once('error', onFailure);
      secure.once('close', onFailure);
    });
    this.#tlsActive = true;
  }

  /** Stops handing out lines: nextLine() returns undefined from now on (used to drain on shutdown). */
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
    // Errors (resets, failed handshakes) end the input via 'close'.
    socket.on('error', this.#onEnd);
    socket.setTimeout(this.options.idleTimeoutMs, this.#onTimeout);
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
    this.#queue.push(...this.#splitter.push(chunk));
    // RFC 2449 §6.6: a client may pipeline; bound what it can make the server hold.
    if (this.#queue.length >= this.options.maxQueuedLines) this.#socket.pause();
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
