/**
 * A minimal SMTP client over a raw socket, for load: the simple dialogue
 * (no pipelining) — greeting, EHLO, optional AUTH PLAIN, MAIL, RCPT, DATA —
 * timing the reply after the end of data. The message is handed over
 * already dot-stuffed (see `wireMessage`), so sending it costs no parsing.
 */
import { connect, type Socket } from 'node:net';

export interface SmtpReply {
  readonly code: number;
  readonly text: string;
}

export class SmtpClientError extends Error {
  override name = 'SmtpClientError';
  constructor(
    readonly stage: string,
    readonly reply: SmtpReply | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${stage}: ${reply ? reply.text : 'connection failed'}`, options);
  }
}

/** RFC 5321 §4.5.2: dot-stuff the body and end it with CRLF.CRLF; lines must already end in CRLF. */
export function wireMessage(message: string | Buffer): Buffer {
  const text = Buffer.isBuffer(message) ? message.toString('latin1') : message;
  const stuffed = (text.startsWith('.') ? '.' : '') + text.replaceAll('\r\n.', '\r\n..');
  const terminated = stuffed.endsWith('\r\n') ? stuffed : `${stuffed}\r\n`;
  return Buffer.from(`${terminated}.\r\n`, 'latin1');
}

export class SmtpConnection {
  private pending = '';
  private lines: string[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.pending += chunk.toString('latin1');
      const parts = this.pending.split('\r\n');
      this.pending = parts.pop() ?? '';
      this.lines.push(...parts);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<SmtpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new SmtpConnection(socket)));
      socket.once('error', (error) => reject(new SmtpClientError('connect', undefined, { cause: error })));
    });
  }

  /** Connects, reads the 220 and says EHLO. */
  static async greeted(port: number, helo = 'bench.client.test'): Promise<SmtpConnection> {
    const connection = await SmtpConnection.open(port);
    try {
      expectCode('greeting', await connection.reply(), 220);
      expectCode('EHLO', await connection.command(`EHLO ${helo}`), 250);
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Reads one complete (possibly multi-line, RFC 5321 §4.2.1) reply. */
  async reply(timeoutMs = 120_000): Promise<SmtpReply> {
    const deadline = Date.now() + timeoutMs;
    const collected: string[] = [];
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) {
        collected.push(line);
        if (/^\d{3}(?: |$)/.test(line)) return { code: Number(line.slice(0, 3)), text: collected.join('\n') };
        continue;
      }
      if (this.closed) throw new SmtpClientError('reply', { code: 0, text: `connection closed after ${JSON.stringify(collected.join('\n'))}` });
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new SmtpClientError('reply', { code: 0, text: 'timed out' });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async command(line: string): Promise<SmtpReply> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** RFC 4954 AUTH PLAIN with an initial response. */
  async authPlain(user: string, password: string): Promise<void> {
    const token = Buffer.from(`\0${user}\0${password}`).toString('base64');
    expectCode('AUTH', await this.command(`AUTH PLAIN ${token}`), 235);
  }

  /** One transaction; resolves with the milliseconds from the end of data to the 250. */
  async send(from: string, to: readonly string[], wire: Buffer): Promise<number> {
    expectCode('MAIL', await this.command(`MAIL FROM:<${from}>`), 250);
    for (const rcpt of to) expectCode('RCPT', await this.command(`RCPT TO:<${rcpt}>`), 250);
    expectCode('DATA', await this.command('DATA'), 354);
    const terminatorAt = wire.length - 3;
    if (terminatorAt > 64 * 1024) {
      await this.write(wire.subarray(0, terminatorAt));
      const start = performance.now();
      this.socket.write(wire.subarray(terminatorAt));
      expectCode('end of data', await this.reply(), 250);
      return performance.now() - start;
    }
    const start = performance.now();
    this.socket.write(wire);
    expectCode('end of data', await this.reply(), 250);
    return performance.now() - start;
  }

  /** Writes a large buffer in pieces, waiting for the socket to drain. */
  private async write(data: Buffer): Promise<void> {
    const piece = 256 * 1024;
    for (let offset = 0; offset < data.length; offset += piece) {
      if (!this.socket.write(data.subarray(offset, offset + piece))) {
        await new Promise<void>((resolve) => this.socket.once('drain', resolve));
      }
    }
  }

  async quit(): Promise<void> {
    try {
      if (!this.closed) await this.command('QUIT');
    } catch {
      // the server may close first; QUIT's reply does not matter to the bench
    } finally {
      this.close();
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

function expectCode(stage: string, reply: SmtpReply, code: number): void {
  if (reply.code !== code) throw new SmtpClientError(stage, reply);
}
