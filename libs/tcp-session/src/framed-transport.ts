/**
 * The byte side of one connection of a line-oriented mail protocol (POP3,
 * IMAP): a framer turns client input into protocol units (lines, commands)
 * that queue up and are taken one at a time (pipelining: RFC 2449 §6.6,
 * RFC 9051 §5.5), with reading paused while too many wait — a read full of
 * tiny commands is framed a few lines at a time, the rest of it held raw
 * until the session catches up, so the queue stays near its bound however
 * many commands one read carries; output is
 * written with socket backpressure; an inactivity timer calls `onIdle`
 * (the autologout); `startTls` upgrades the connection in place (STLS,
 * STARTTLS). The protocol's transport extends it with what its sessions need.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { endSocket, writeWithBackpressure } from '@mail/runtime';
import { ConnectionClosedError } from './session-errors';

/** Splits the byte stream of one connection into protocol units. */
export interface InputFramer<T> {
  push(chunk: Uint8Array): T[];
}

/** Settings of a {@link FramedTransport}. */
export interface FramedTransportOptions<F> {
  /** A framer for a fresh input stream: at the start, and after the TLS handshake of STARTTLS. */
  readonly newFramer: () => F;
  /** Inactivity before `onIdle` is called (the autologout timer). */
  readonly idleTimeoutMs: number;
  /** Queued units at which reading (and framing) pauses until the session catches up (resumed at half). */
  readonly maxQueued: number;
  /** Called when the inactivity timer expires. */
  readonly onIdle: () => void;
  /** The socket is TLS from the first byte (RFC 8314 §3.3). */
  readonly implicitTls?: boolean;
}

/** One connection's framed input and output, over a plain or TLS socket. */
export class FramedTransport<T, F extends InputFramer<T>> {
  #socket: Socket;
  #framer: F;
  #queue: T[] = [];
  /** Octets read but not framed yet (the queue was full): at most the rest of one read. */
  #unframed: Buffer | undefined;
  #wake: (() => void) | undefined;
  #inputEnded = false;
  #tlsActive: boolean;
  #idleTimeoutMs: number;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onEnd = (): void => this.#endInput();
  readonly #onTimeout = (): void => this.framing.onIdle();

  constructor(
    socket: Socket,
    private readonly framing: FramedTransportOptions<F>,
  ) {
    this.#socket = socket;
    this.#framer = framing.newFramer();
    this.#tlsActive = framing.implicitTls === true;
    this.#idleTimeoutMs = framing.idleTimeoutMs;
    this.#attach(socket);
  }

  /** Whether TLS is active on the connection (implicit, or after startTls). */
  get tlsActive(): boolean {
    return this.#tlsActive;
  }

  /** No more input will come: the input ended and every queued unit was taken. */
  get ended(): boolean {
    return this.#inputEnded && this.#queue.length === 0 && this.#unframed === undefined;
  }

  /** Units framed and waiting to be taken. */
  get queued(): number {
    return this.#queue.length;
  }

  /** The current framer (replaced by startTls). */
  protected get framer(): F {
    return this.#framer;
  }

  /** Resolves when a unit is waiting or the input ended (does not take it). */
  async waitForInput(): Promise<void> {
    if (this.#queue.length > 0 || this.#inputEnded) return;
    await new Promise<void>((resolve) => (this.#wake = resolve));
  }

  /** The next unit if one is waiting; undefined otherwise. */
  takeInput(): T | undefined {
    if (this.#queue.length <= this.framing.maxQueued / 2) this.#frameHeld();
    const unit = this.#queue.shift();
    if (unit !== undefined && this.#unframed === undefined && this.#socket.isPaused() && this.#queue.length <= this.framing.maxQueued / 2) this.#socket.resume();
    return unit;
  }

  /** The next unit in order; undefined once the connection is closed or being drained. */
  async nextInput(): Promise<T | undefined> {
    for (;;) {
      const unit = this.takeInput();
      if (unit !== undefined) return unit;
      if (this.#inputEnded) return undefined;
      await this.waitForInput();
    }
  }

  /** Changes the inactivity timer (a shorter one before authentication). */
  setIdleTimeout(ms: number): void {
    this.#idleTimeoutMs = ms;
    this.#socket.setTimeout(ms);
  }

  /** Writes bytes; resolves once the socket accepts more, rejects with ConnectionClosedError. */
  write(data: string | Uint8Array): Promise<void> {
    return writeWithBackpressure(this.#socket, data, (detail) => new ConnectionClosedError(detail));
  }

  /**
   * Discards pending input, stops reading, runs `announce` (which writes the
   * positive reply) and performs the server side of the TLS handshake.
   * @throws ConnectionClosedError if the handshake fails.
   */
  async startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void> {
    const plain = this.#socket;
    // RFC 2595 §4, RFC 9051 §6.2.1 (and RFC 3207 §6 for the same attack on
    // SMTP): input that arrived before the handshake was pipelined in plain
    // text and must not be executed as if it came over TLS.
    this.#detach(plain);
    plain.pause();
    // The TLS socket reports failures from now on; keep a late error on the
    // raw socket from becoming an uncaught exception.
    plain.on('error', () => undefined);
    this.#queue = [];
    this.#unframed = undefined;
    this.#framer = this.framing.newFramer();
    await announce();
    // node:tls is taken when first needed, not imported: it is 3 MiB of idle RSS (libs/runtime/src/tls-on-demand.ts).
    const secure = new (process.getBuiltinModule('node:tls').TLSSocket)(plain, { isServer: true, secureContext });
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
      // A close without an error: the peer left, or the inactivity timer dropped a stalled handshake.
      const onFailure = (error?: Error | boolean): void => settle(error instanceof Error ? error : new Error('connection closed'));
      secure.once('secure', onSecure);
      secure.once('error', onFailure);
      secure.once('close', onFailure);
    });
    this.#tlsActive = true;
  }

  /** Stops handing out input: nextInput() returns undefined from now on (used to drain on shutdown). */
  stopReading(): void {
    this.#queue = [];
    this.#unframed = undefined;
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

  /** Queues units the framer gave outside a socket read (after a decision of the session it waited for), after those queued. */
  protected queueInput(units: readonly T[]): void {
    if (units.length === 0) return;
    this.#queue.push(...units);
    // Bound what a pipelining client can make the server hold (each unit is itself bounded by the framer).
    if (this.#queue.length >= this.framing.maxQueued) this.#socket.pause();
    this.#signal();
  }

  #receive(chunk: Buffer): void {
    if (this.#inputEnded) return;
    this.#unframed = this.#unframed === undefined ? chunk : Buffer.concat([this.#unframed, chunk]);
    this.#frameHeld();
  }

  /**
   * Frames what was read, a slice of at most maxQueued/2 lines at a time
   * (a line gives the framer a unit or two), while fewer than maxQueued
   * units wait; what is left waits raw, with reading paused.
   */
  #frameHeld(): void {
    const linesPerSlice = Math.max(1, Math.floor(this.framing.maxQueued / 2));
    while (this.#unframed !== undefined && this.#queue.length < this.framing.maxQueued) {
      const held: Buffer = this.#unframed;
      const end = afterLines(held, linesPerSlice);
      this.#unframed = end < held.length ? held.subarray(end) : undefined;
      this.queueInput(this.#framer.push(end < held.length ? held.subarray(0, end) : held));
    }
    if (this.#unframed !== undefined) this.#socket.pause();
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

/** The offset just after the `lines`-th LF of `data`, or its length when it has fewer. */
function afterLines(data: Buffer, lines: number): number {
  let end = 0;
  for (let n = 0; n < lines; n++) {
    const lf = data.indexOf(0x0a, end);
    if (lf < 0) return data.length;
    end = lf + 1;
  }
  return end;
}
