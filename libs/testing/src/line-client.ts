/**
 * A raw TCP client for protocol tests: send lines, read replies, exactly as a
 * person at a telnet prompt would. Used to drive SMTP and POP3 servers
 * byte for byte without a client library hiding anything — bad input,
 * smuggling, pipelining, floods, logins that are meant to fail. (Tools and
 * tests that just send or read mail use @mail/smtp-client and @mail/pop3-client.)
 *
 * It can connect from a chosen source address (`localAddress`): every
 * address of 127.0.0.0/8 is local on Linux, so 127.0.0.2, 127.0.0.3, … are
 * different client IPs to the servers' per-IP limits. It remembers when the
 * server closed the connection (its FIN) as opposed to the client, and when
 * the client began to connect.
 */
import { connect, type Socket } from 'node:net';

export interface LineClientOptions {
  /** Server address (default 127.0.0.1). */
  readonly host?: string;
  /** Source address of the connection. */
  readonly localAddress?: string;
  /** Deadline for the connection (default 30 s). */
  readonly connectTimeoutMs?: number;
  /** Default deadline of every read (default 10 s). */
  readonly replyTimeoutMs?: number;
}

/** An SMTP reply as read: its code, its lines as sent, and those lines joined. */
export interface LineSmtpReply {
  readonly code: number;
  readonly lines: string[];
  readonly text: string;
  /** The last line (`250 OK` after `250-` continuation lines, RFC 5321 §4.2.1). */
  readonly lastLine: string;
}

export class LineClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private closed = false;
  #serverClosedAt: number | undefined;

  private constructor(
    readonly socket: Socket,
    /** performance.now() before the connect: no server timer for this connection can have started earlier. */
    readonly openedAt: number,
    private readonly replyTimeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    // 'end': the server sent its FIN (the client then closes its side: allowHalfOpen is off)
    socket.on('end', () => {
      this.#serverClosedAt = performance.now();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  /** Connects to `port` on `host` (a string, or in the options; default 127.0.0.1). */
  static open(port: number, hostOrOptions: string | LineClientOptions = {}): Promise<LineClient> {
    const options = typeof hostOrOptions === 'string' ? { host: hostOrOptions } : hostOrOptions;
    const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const openedAt = performance.now();
      const socket = connect({ port, host: options.host ?? '127.0.0.1', ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to port ${port}${options.localAddress ? ` from ${options.localAddress}` : ''} timed out`));
      }, connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new LineClient(socket, openedAt, options.replyTimeoutMs ?? 10_000));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Whether the server ended the connection (rather than this client). */
  get closedByServer(): boolean {
    return this.#serverClosedAt !== undefined;
  }

  /** performance.now() when the server's FIN arrived; undefined while it has not. */
  get serverClosedAt(): number | undefined {
    return this.#serverClosedAt;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async waitForData(deadline: number, what: string): Promise<void> {
    if (this.closed) throw new Error(`connection closed while waiting for ${what}; got ${JSON.stringify(this.buffer.toString('latin1'))}`);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.buffer.toString('latin1'))}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, remaining);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Send raw bytes (no CRLF added). */
  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Send a line with CRLF. */
  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Read one CRLF-terminated line (without the CRLF). */
  async readLine(timeoutMs = this.replyTimeoutMs): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffer.subarray(0, end).toString('utf8');
        this.buffer = this.buffer.subarray(end + 2);
        return line;
      }
      await this.waitForData(deadline, 'a line');
    }
  }

  /** Read an SMTP reply (all `250-` continuation lines up to the final `250 `). */
  async readSmtpReply(timeoutMs = this.replyTimeoutMs): Promise<LineSmtpReply> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine(timeoutMs);
      lines.push(line);
      if (line[3] !== '-') return { code: Number(line.slice(0, 3)), lines, text: lines.join('\n'), lastLine: line };
    }
  }

  /** Send a command and read the SMTP reply. */
  async smtp(line: string, timeoutMs = this.replyTimeoutMs): Promise<LineSmtpReply> {
    this.send(line);
    return this.readSmtpReply(timeoutMs);
  }

  /** Send a command and read the POP3 status line (`+OK ...` or `-ERR ...`). */
  async pop3(line: string, timeoutMs = this.replyTimeoutMs): Promise<string> {
    this.send(line);
    return this.readLine(timeoutMs);
  }

  /** Read raw bytes up to and including `terminator` (e.g. `\r\n.\r\n` for a POP3 multi-line reply). */
  async readUntil(terminator: string, timeoutMs = 15_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf(terminator);
      if (end >= 0) {
        const data = this.buffer.subarray(0, end + terminator.length);
        this.buffer = this.buffer.subarray(end + terminator.length);
        return Buffer.from(data);
      }
      await this.waitForData(deadline, JSON.stringify(terminator));
    }
  }

  /** Resolves when the server has closed the connection. */
  async waitClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed)
      await this.waitForData(deadline, 'the server to close the connection').catch((error: Error) => {
        if (!this.closed) throw error;
      });
  }

  close(): void {
    this.socket.destroy();
  }
}
