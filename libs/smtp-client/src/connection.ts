/**
 * One TCP connection to an SMTP server, seen as the client sees it: replies
 * come in (LineReader splits lines, ReplyParser joins multi-line replies,
 * RFC 5321 §4.2.1) and commands or message data go out, each with a time
 * limit (RFC 5321 §4.5.3.2). Writes respect backpressure, so a large message
 * is never buffered whole. Any failure is kept and rethrown to the next
 * reader or writer as an SmtpConnectionError (or SmtpProtocolError).
 * Error messages do not name the server: callers add it (see `describeTarget`).
 */
import { connect, isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { LineReader, ReplyParser, SmtpProtocolError, type SmtpReply } from '@mail/smtp';
import { SmtpConnectionError, SmtpTimeoutError, SmtpTlsError } from './errors';

/** Longest reply line accepted: RFC 5321 §4.5.3.1.5 says 512, real servers send longer ones. */
const MAX_REPLY_LINE_READ = 4096;
/** Replies buffered without a reader: more means the server is talking nonsense. */
const MAX_QUEUED_REPLIES = 2000;

/** Where to connect. `address` is an IP address; `host` is the MX name, for logs and certificate checks. */
export interface SmtpTarget {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  /** TLS is mandatory for this destination, with a certificate valid for `host` (the relay's OUTBOUND_TLS_REQUIRED_DOMAINS). */
  readonly requireTls?: boolean;
}

/** What a STARTTLS handshake gave. */
export interface TlsFacts {
  readonly protocol: string;
  readonly cipher: string;
  /** The certificate chain verified and matched the host name. */
  readonly authorized: boolean;
  readonly authorizationError?: string;
}

export class SmtpConnection {
  private readonly lines = new LineReader({ maxLineLength: MAX_REPLY_LINE_READ });
  private readonly parser = new ReplyParser();
  private readonly replies: SmtpReply[] = [];
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private socket: Socket;
  /** Set once STARTTLS succeeded. */
  tls: TlsFacts | undefined;

  private constructor(
    readonly target: SmtpTarget,
    socket: Socket,
  ) {
    this.socket = socket;
    this.listen(socket);
  }

  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onError = (error: Error) => this.fail(new SmtpConnectionError(`connection failed: ${error.message}`, { cause: error }));
  private readonly onClose = () => this.fail(new SmtpConnectionError('connection closed by the server'));
  private readonly onDrain = () => this.notify();

  private listen(socket: Socket): void {
    socket.on('data', this.onData).on('error', this.onError).on('close', this.onClose).on('drain', this.onDrain);
  }

  /**
   * Turns the connection into TLS after the server's 220 to STARTTLS (RFC
   * 3207 §4). Anything the server sent after that 220 in the clear would be
   * an injection attempt (RFC 3207 §6), so it is a protocol error. With
   * `verify`, the certificate must chain to a trusted CA and match the MX
   * host name; otherwise any certificate is accepted (opportunistic TLS,
   * RFC 7435). `ca` is trusted besides Node's bundled roots (a private CA
   * of a smarthost). The same handshake right after connecting is implicit
   * TLS (RFC 8314 §3.3). Throws SmtpTlsError when the handshake fails.
   */
  async startTls(verify: boolean, timeoutMs: number, ca?: string | Buffer): Promise<TlsFacts> {
    if (this.replies.length > 0 || this.lines.buffered > 0) throw new SmtpProtocolError('the server sent data after its 220 to STARTTLS');
    const plain = this.socket;
    plain.off('data', this.onData).off('error', this.onError).off('close', this.onClose).off('drain', this.onDrain);
    // From here on the TLS socket reports the plain socket's errors
    plain.on('error', () => undefined);
    const host = this.target.host.replace(/\.$/, '');
    // RFC 6066 §3: SNI carries a host name, never an address
    const servername = isIP(host) || host.startsWith('[') ? undefined : host;
    // node:tls is taken when first needed, not imported: it is 3 MiB of idle RSS (libs/runtime/src/tls-on-demand.ts).
    const tls = process.getBuiltinModule('node:tls');
    const trust = ca === undefined ? {} : { ca: [...tls.rootCertificates, ca] };
    const secure: TLSSocket = tls.connect({ socket: plain, ...(servername ? { servername } : {}), ...trust, rejectUnauthorized: verify, minVersion: 'TLSv1.2' });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new SmtpTimeoutError(`TLS handshake timed out after ${timeoutMs} ms`)), timeoutMs);
        secure.once('secureConnect', () => {
          clearTimeout(timer);
          resolve();
        });
        secure.once('error', (error) => {
          clearTimeout(timer);
          reject(new SmtpTlsError(`TLS handshake failed: ${error.message}`, { cause: error }));
        });
        plain.once('close', () => reject(new SmtpConnectionError('connection closed during the TLS handshake')));
      });
    } catch (error) {
      secure.destroy();
      plain.destroy();
      this.fail(error as Error);
      throw error;
    }
    secure.removeAllListeners('error');
    this.socket = secure;
    this.listen(secure);
    const cipher = secure.getCipher();
    this.tls = {
      protocol: secure.getProtocol() ?? 'unknown',
      cipher: cipher.name,
      authorized: secure.authorized,
      ...(secure.authorizationError ? { authorizationError: String(secure.authorizationError) } : {}),
    };
    return this.tls;
  }

  /** Opens the TCP connection; rejects with SmtpConnectionError (or SmtpTimeoutError after `timeoutMs`). */
  static open(target: SmtpTarget, timeoutMs: number): Promise<SmtpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.address, port: target.port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SmtpTimeoutError(`connect timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new SmtpConnection(target, socket));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new SmtpConnectionError(`connect failed: ${error.message}`, { cause: error }));
      });
    });
  }

  /** False once the connection failed or was closed. */
  get usable(): boolean {
    return this.failure === undefined && !this.socket.destroyed;
  }

  /** The next complete reply; already-received replies come first, even after the connection failed. */
  async readReply(timeoutMs: number, what: string): Promise<SmtpReply> {
    for (;;) {
      const reply = this.replies.shift();
      if (reply) return reply;
      if (this.failure) throw this.failure;
      await this.waitForEvent(timeoutMs, `waiting for the reply to ${what}`);
    }
  }

  /** Writes, waiting for the socket to drain when its buffer is full (at most `timeoutMs`). */
  async write(data: string | Uint8Array, timeoutMs: number, what: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.socket.write(data)) return;
    // RFC 5321 §4.5.3.2.5: the limit applies to each send making progress, not to the whole message
    while (this.socket.writableNeedDrain && !this.failure) await this.waitForEvent(timeoutMs, `sending ${what}`);
    if (this.failure) throw this.failure;
  }

  /** Closes at once, without QUIT (and, during DATA, without the end-of-data mark). */
  destroy(): void {
    this.fail(new SmtpConnectionError('connection closed by the client'));
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.lines.push(chunk);
    try {
      for (let event = this.lines.next(); event; event = this.lines.next()) {
        if (event.kind === 'too-long') throw new SmtpProtocolError(`reply line longer than ${MAX_REPLY_LINE_READ} octets`);
        const reply = this.parser.push(event.text);
        if (reply) this.replies.push(reply);
        if (this.replies.length > MAX_QUEUED_REPLIES) throw new SmtpProtocolError('too many unsolicited replies');
      }
    } catch (error) {
      this.fail(error as Error);
      this.socket.destroy();
    }
    this.notify();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves on the next reply, drain or failure (one waiter at a time); on timeout, destroys the connection and throws. */
  private waitForEvent(timeoutMs: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new SmtpTimeoutError(`timed out after ${timeoutMs} ms ${what}`);
        this.failure ??= error;
        this.socket.destroy();
        reject(error);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.wake = done;
    });
  }
}

/** `mx.example.org[192.0.2.1]:25`, the form logs and delivery details use. */
export function describeTarget(target: SmtpTarget): string {
  return `${target.host}[${target.address}]:${target.port}`;
}
