/**
 * The byte side of one SMTP connection: frames input as command lines
 * (LineReader, RFC 5321 §2.3.8 and §4.5.3.1.4), as DATA (DotUnstuffer,
 * RFC 5321 §4.5.2) or as a BDAT chunk (BdatReader, RFC 3030 §2); writes
 * replies through the one serializer (formatReply) with socket backpressure;
 * runs the idle timer while waiting for the client (RFC 5321 §4.5.3.2.7);
 * upgrades the connection to TLS for STARTTLS (RFC 3207) or from the first
 * byte on submissions (RFC 8314 §3.3); and, before the
 * greeting, reads a preamble (the PROXY header) and watches for clients
 * that talk too early.
 *
 * Input is pulled, never pushed: nothing is parsed until the session asks
 * for it, so pipelined commands run strictly one after the other
 * (RFC 2920 §3), and reading pauses while too much input is queued.
 */
import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { BdatReader, DotUnstuffer, LineReader, MAX_COMMAND_LINE, formatReply, type LineEvent } from '@mail/smtp';
import { ConnectionClosedError, TlsHandshakeError } from './session-errors';
import type { DataOutcome, SmtpChannel } from './smtp-channel';
import { closeSocket, writeToSocket } from './socket-output';

/** Settings of a transport. */
export interface TransportOptions {
  /** Inactivity while waiting for the client before `onIdle` is called. */
  readonly idleTimeoutMs: number;
  readonly onIdle: () => void;
  /** Called with the code of every reply written (metrics). */
  readonly onReply?: (code: number) => void;
}

// Queued input at which the socket is paused until the session catches up.
const HIGH_WATER = 256 * 1024;
// How many of the first octets received are kept for `head`
const HEAD_OCTETS = 16;

/** How reading a preamble ended. */
export type PreambleOutcome = 'complete' | 'timeout' | 'closed';

/** An SMTP connection's framing and output, over a plain or TLS socket. */
export class SmtpTransport implements SmtpChannel {
  #socket: Socket;
  #lines = new LineReader();
  #inbox: Buffer[] = [];
  #inboxBytes = 0;
  #wake: (() => void) | undefined;
  #ended = false;
  #interrupted = false;
  #tls = false;
  #head = Buffer.alloc(0);
  #onNextWait: (() => void) | undefined;
  readonly #onData = (chunk: Buffer): void => this.#receive(chunk);
  readonly #onEnd = (): void => this.#endInput();
  readonly #onTimeout = (): void => this.options.onIdle();

  constructor(
    socket: Socket,
    private readonly options: TransportOptions,
  ) {
    this.#socket = socket;
    this.#attach(socket);
  }

  get tlsActive(): boolean {
    return this.#tls;
  }

  /** The first octets the peer sent (up to 16), to recognise what it speaks. */
  get head(): Buffer {
    return this.#head;
  }

  reply(code: number, enhanced: string | undefined, text: string | string[]): Promise<void> {
    const wire = formatReply(code, enhanced, text);
    this.options.onReply?.(code);
    return writeToSocket(this.#socket, wire);
  }

  async nextLine(maxLineLength = MAX_COMMAND_LINE): Promise<LineEvent | undefined> {
    this.#lines.maxLineLength = maxLineLength;
    for (;;) {
      const event = this.#lines.next();
      if (event !== undefined) return event;
      const chunk = await this.#nextChunk();
      if (chunk === undefined) return undefined;
      this.#lines.push(chunk);
    }
  }

  async readData(sink: (chunk: Buffer) => void): Promise<DataOutcome> {
    const decoder = new DotUnstuffer();
    let input: Buffer | undefined = this.#lines.takeRest();
    for (;;) {
      const result = decoder.push(input);
      for (const part of result.body) sink(part);
      if (result.ended) {
        // RFC 2920 §3: what follows the terminator is the next command
        if (result.rest) this.#lines.push(result.rest);
        return { size: result.size, bareLineEndings: result.bareLineEndings, longestLine: decoder.longestLine };
      }
      input = await this.#nextChunk();
      if (input === undefined) throw new ConnectionClosedError('connection closed during DATA');
    }
  }

  async readChunk(size: number, sink: (chunk: Buffer) => void): Promise<void> {
    const reader = new BdatReader(size);
    let input: Buffer | undefined = this.#lines.takeRest();
    for (;;) {
      const result = reader.push(input);
      for (const part of result.data) sink(part);
      if (result.done) {
        if (result.rest) this.#lines.push(result.rest);
        return;
      }
      input = await this.#nextChunk();
      if (input === undefined) throw new ConnectionClosedError('connection closed during BDAT');
    }
  }

  async startTls(secureContext: SecureContext, announce: () => Promise<void>): Promise<void> {
    const plain = this.#socket;
    // RFC 3207 §6: anything pipelined after STARTTLS arrived in plain text and
    // must not be executed as if it came over TLS: drop it.
    this.#detach(plain);
    plain.pause();
    plain.on('error', () => undefined); // the TLS socket reports failures from now on
    this.#inbox = [];
    this.#inboxBytes = 0;
    this.#lines = new LineReader();
    await announce();
    // node:tls is taken when first needed, not imported: it is 3 MiB of idle RSS (libs/runtime/src/tls-on-demand.ts).
    const secure = new (process.getBuiltinModule('node:tls').TLSSocket)(plain, { isServer: true, secureContext });
    this.#socket = secure;
    this.#attach(secure);
    // No command timer runs during the handshake: a client that sends STARTTLS and then nothing would hold its connection forever
    const timer = setTimeout(() => secure.destroy(new Error(`TLS handshake not finished within ${this.options.idleTimeoutMs} ms`)), this.options.idleTimeoutMs);
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        secure.off('secure', onSecure);
        secure.off('error', onFailure);
        secure.off('close', onFailure);
        secure.off('end', onFailure);
        if (error === undefined) resolve();
        else reject(new ConnectionClosedError('TLS handshake failed', { cause: error }));
      };
      const onSecure = (): void => settle();
      // The client's end of stream (the listener is half-open: no close follows) or a close without an error before its
      // Finished arrived ends the session too, rather than leaving it waiting for a handshake that cannot finish
      const onFailure = (error?: Error | boolean): void => settle(error instanceof Error ? error : new Error('connection closed during the TLS handshake'));
      secure.once('secure', onSecure);
      secure.once('error', onFailure);
      secure.once('close', onFailure);
      secure.once('end', onFailure);
    });
    this.#tls = true;
  }

  /**
   * RFC 8314 §3.3 (submissions): TLS from the first byte after any PROXY header. What the client sent so far is the start of its
   * handshake, so it is handed back to the socket for the TLS layer to read, not dropped as after STARTTLS. A handshake not finished
   * within the idle timeout fails. Rejects with TlsHandshakeError when the client sent something that failed, with
   * ConnectionClosedError when it sent nothing (a load balancer's TCP health check).
   */
  async startImplicitTls(secureContext: SecureContext): Promise<void> {
    const plain = this.#socket;
    const early = Buffer.concat([this.#lines.takeRest(), ...this.#inbox]);
    const beforeTls = plain.bytesRead - early.length;
    this.#detach(plain);
    plain.pause();
    this.#inbox = [];
    this.#inboxBytes = 0;
    if (early.length > 0) plain.unshift(early);
    const timer = setTimeout(() => this.#socket.destroy(new Error(`TLS handshake not finished within ${this.options.idleTimeoutMs} ms`)), this.options.idleTimeoutMs);
    try {
      await this.startTls(secureContext, () => Promise.resolve());
    } catch (error) {
      if (plain.bytesRead > beforeTls) throw new TlsHandshakeError('TLS handshake failed', { cause: error instanceof ConnectionClosedError ? error.cause : error });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Reads a preamble before any command (the PROXY header): `parse` gets
   * every octet received so far and returns the preamble's length once it
   * is complete, or undefined for more (it throws to refuse). What follows
   * the preamble is kept as command input.
   */
  async readPreamble(parse: (input: Buffer) => number | undefined, timeoutMs: number): Promise<PreambleOutcome> {
    let input = this.#lines.takeRest();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.interrupt();
    }, timeoutMs);
    try {
      for (;;) {
        const length = parse(input);
        if (length !== undefined) {
          if (length < input.length) this.#lines.push(input.subarray(length));
          return 'complete';
        }
        const chunk = await this.#nextChunk();
        if (chunk === undefined) return timedOut ? 'timeout' : 'closed';
        input = input.length === 0 ? chunk : Buffer.concat([input, chunk]);
      }
    } finally {
      clearTimeout(timer);
      this.#interrupted = false;
    }
  }

  /** Waits up to `ms` for the peer to send anything; true when it did (input queued or arriving). */
  async waitForInput(ms: number): Promise<boolean> {
    const pending = (): boolean => this.#inbox.length > 0 || this.#lines.buffered > 0;
    if (pending() || this.#ended) return pending();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    return pending();
  }

  /**
   * Runs `action` once the session next waits for the client — at once if
   * it is waiting now (the session time limit: never cut a command that is
   * being processed, such as a message waiting for its JetStream ack).
   */
  whenWaiting(action: () => void): void {
    if (this.#wake !== undefined) action();
    else this.#onNextWait = action;
  }

  /** Makes a pending or the next `nextLine()` return undefined (graceful drain). */
  interrupt(): void {
    this.#interrupted = true;
    this.#signal();
  }

  /** Flushes what was written and closes (socket-output.ts closeSocket); destroys the socket if that takes longer than `graceMs`. */
  async close(graceMs = 5_000): Promise<void> {
    this.#endInput();
    await closeSocket(this.#socket, graceMs);
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.#endInput();
    this.#socket.destroy();
  }

  /** The next chunk of input in order; undefined once input ended (or on interrupt). Arms the idle timer while waiting. */
  async #nextChunk(): Promise<Buffer | undefined> {
    for (;;) {
      if (this.#interrupted) {
        this.#interrupted = false;
        return undefined;
      }
      const chunk = this.#inbox.shift();
      if (chunk !== undefined) {
        this.#inboxBytes -= chunk.length;
        if (this.#socket.isPaused() && this.#inboxBytes < HIGH_WATER / 2) this.#socket.resume();
        return chunk;
      }
      if (this.#ended) return undefined;
      const onWait = this.#onNextWait;
      if (onWait !== undefined) {
        this.#onNextWait = undefined;
        onWait();
        continue;
      }
      this.#socket.setTimeout(this.options.idleTimeoutMs);
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#socket.setTimeout(0);
    }
  }

  #attach(socket: Socket): void {
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    // Errors (resets, failed handshakes) end the input; 'close' follows.
    socket.on('error', this.#onEnd);
    socket.on('timeout', this.#onTimeout);
    socket.resume();
  }

  #detach(socket: Socket): void {
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onEnd);
    socket.off('error', this.#onEnd);
    socket.off('timeout', this.#onTimeout);
    socket.setTimeout(0);
  }

  #receive(chunk: Buffer): void {
    if (this.#ended) return;
    if (this.#head.length < HEAD_OCTETS) this.#head = Buffer.concat([this.#head, chunk.subarray(0, HEAD_OCTETS - this.#head.length)]);
    this.#inbox.push(chunk);
    this.#inboxBytes += chunk.length;
    if (this.#inboxBytes >= HIGH_WATER) this.#socket.pause();
    this.#signal();
  }

  #endInput(): void {
    this.#ended = true;
    this.#signal();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
