/**
 * A raw TCP client for protocol tests: send lines, read replies, exactly as a
 * person at a telnet prompt would. Used to drive SMTP and POP3 servers
 * byte for byte without a client library hiding anything.
 */
import { connect, type Socket } from 'node:net';

export class LineClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  private closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
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
  async readLine(timeoutMs = 10_000): Promise<string> {
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
  async readSmtpReply(timeoutMs = 10_000): Promise<{ code: number; lines: string[]; text: string }> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.readLine(timeoutMs);
      lines.push(line);
      if (line[3] !== '-') return { code: Number(line.slice(0, 3)), lines, text: lines.join('\n') };
    }
  }

  /** Send a command and read the SMTP reply. */
  async smtp(line: string): Promise<{ code: number; lines: string[]; text: string }> {
    this.send(line);
    return this.readSmtpReply();
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
    while (!this.closed) await this.waitForData(deadline, 'the server to close the connection').catch((error: Error) => {
      if (!this.closed) throw error;
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
