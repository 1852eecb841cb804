/**
 * A minimal POP3 client over a raw socket (RFC 1939): USER/PASS, STAT, RETR
 * without pipelining, QUIT. RETR returns the octets on the wire (still
 * byte-stuffed): the bench measures throughput, not content.
 */
import { connect, type Socket } from 'node:net';

export class Pop3ClientError extends Error {
  override name = 'Pop3ClientError';
}

const terminator = Buffer.from('\r\n.\r\n');

export class Pop3Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /** Connects, reads +OK and logs in with USER/PASS (RFC 1939 §7). */
  static async login(port: number, user: string, password: string): Promise<Pop3Connection> {
    const connection = await new Promise<Pop3Connection>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Pop3Connection(socket)));
      socket.once('error', (error) => reject(new Pop3ClientError(`connect to POP3 port ${port}: ${error.message}`, { cause: error })));
    });
    try {
      await connection.expectOk('greeting');
      await connection.command(`USER ${user}`);
      await connection.command(`PASS ${password}`);
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  /** Waits until `terminatorBytes` occurs at or after `from`, returns the index just past it. */
  private async until(terminatorBytes: Buffer, from = 0, timeoutMs = 120_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let searchFrom = from;
    for (;;) {
      const at = this.buffer.indexOf(terminatorBytes, searchFrom);
      if (at >= 0) return at + terminatorBytes.length;
      searchFrom = Math.max(from, this.buffer.length - terminatorBytes.length + 1);
      if (this.closed) throw new Pop3ClientError(`connection closed; got ${JSON.stringify(this.buffer.subarray(0, 200).toString('latin1'))}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Pop3ClientError('timed out waiting for the server');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        };
      });
    }
  }

  private take(end: number): Buffer {
    const taken = this.buffer.subarray(0, end);
    this.buffer = this.buffer.subarray(end);
    return taken;
  }

  private async expectOk(what: string): Promise<string> {
    const line = this.take(await this.until(Buffer.from('\r\n'))).toString('latin1').trimEnd();
    if (!line.startsWith('+OK')) throw new Pop3ClientError(`${what}: ${line}`);
    return line;
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.expectOk(line.split(' ')[0] ?? line);
  }

  /** STAT: number of messages and octets. */
  async stat(): Promise<{ count: number; octets: number }> {
    const [, count, octets] = (await this.command('STAT')).split(' ');
    return { count: Number(count), octets: Number(octets) };
  }

  /** RETR n; resolves with the octets received for the message (status line excluded, terminator included). */
  async retrieve(n: number): Promise<number> {
    await this.command(`RETR ${n}`);
    // the message may be empty: then the terminator follows the status line directly
    if (this.buffer.subarray(0, 3).toString('latin1') === '.\r\n') return this.take(3).length;
    return this.take(await this.until(terminator)).length;
  }

  async quit(): Promise<void> {
    try {
      await this.command('QUIT');
    } finally {
      this.close();
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Messages in a maildrop right now (a whole session: login, STAT, QUIT). */
export async function maildropCount(port: number, user: string, password: string): Promise<number> {
  const connection = await Pop3Connection.login(port, user, password);
  try {
    return (await connection.stat()).count;
  } finally {
    await connection.quit().catch(() => connection.close());
  }
}

/** RETRs every message of one maildrop in one session; resolves with messages, octets and milliseconds. */
export async function retrieveAll(port: number, user: string, password: string): Promise<{ messages: number; octets: number; milliseconds: number }> {
  const connection = await Pop3Connection.login(port, user, password);
  const { count } = await connection.stat();
  const started = performance.now();
  let octets = 0;
  for (let n = 1; n <= count; n++) octets += await connection.retrieve(n);
  const milliseconds = performance.now() - started;
  await connection.quit();
  return { messages: count, octets, milliseconds };
}
