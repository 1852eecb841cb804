/**
 * A POP3 client session over TCP (RFC 1939): the greeting, USER/PASS
 * (§7), single-line commands and multi-line ones (§3), STAT, RETR, QUIT —
 * one command at a time, each response within a time limit. Used by the
 * bench, the crash matrix and the end-to-end tests; a test that sends raw
 * bytes on purpose uses @mail/testing's LineClient instead.
 */
import { connect, type Socket } from 'node:net';
import { unstuffMultiline } from '@mail/pop3';
import { Pop3ConnectionError, Pop3ProtocolError, Pop3ReplyError } from './errors';
import { ResponseReader } from './response-reader';

export interface Pop3ClientOptions {
  /** Server address (default 127.0.0.1). */
  readonly host?: string;
  /** How long to wait for the connection and for each response (default 30 s). */
  readonly timeoutMs?: number;
}

/** A message as RETR returned it (RFC 1939 §7). */
export class RetrievedMessage {
  constructor(
    /** The `+OK` status line. */
    readonly status: string,
    /** The body as it travelled: byte-stuffed, through the terminator line. */
    readonly wire: Buffer,
  ) {}

  /** The message itself: stuffing undone, terminator dropped (RFC 1939 §3). */
  get content(): Buffer {
    return unstuffMultiline(this.wire);
  }
}

export class Pop3Client {
  readonly #reader = new ResponseReader();
  #failure: Error | undefined;
  #wake: (() => void) | undefined;
  #greeting = '';

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.#reader.push(chunk);
      this.#notify();
    });
    socket.on('error', (error) => this.#fail(new Pop3ConnectionError(`connection failed: ${error.message}`, { cause: error })));
    socket.on('close', () => this.#fail(new Pop3ConnectionError('connection closed by the server')));
  }

  /** Connects and reads the greeting; rejects with Pop3ReplyError when the server turns the session down (RFC 1939 §4). */
  static async connect(port: number, options: Pop3ClientOptions = {}): Promise<Pop3Client> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opening = connect({ port, host: options.host ?? '127.0.0.1' });
      const timer = setTimeout(() => {
        opening.destroy();
        reject(new Pop3ConnectionError(`connect to port ${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      opening.once('connect', () => {
        clearTimeout(timer);
        opening.removeAllListeners('error');
        resolve(opening);
      });
      opening.once('error', (error) => {
        clearTimeout(timer);
        reject(new Pop3ConnectionError(`connect to port ${port} failed: ${error.message}`, { cause: error }));
      });
    });
    const client = new Pop3Client(socket, timeoutMs);
    try {
      client.#greeting = client.#judge('greeting', await client.#readLine('the greeting'));
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** The server's greeting (`+OK ...`, RFC 1939 §4). */
  get greeting(): string {
    return this.#greeting;
  }

  /** Connects and logs in with USER and PASS (RFC 1939 §7); the session is then in the TRANSACTION state. */
  static async login(port: number, user: string, password: string, options: Pop3ClientOptions = {}): Promise<Pop3Client> {
    const client = await Pop3Client.connect(port, options);
    try {
      await client.command(`USER ${user}`);
      await client.command(`PASS ${password}`);
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** Sends a command with a single-line response and resolves with its `+OK` line; `-ERR` rejects with Pop3ReplyError. */
  async command(line: string): Promise<string> {
    this.#send(line);
    return this.#judge(verb(line), await this.#readLine(verb(line)));
  }

  /** Sends a command with a multi-line response (RETR, TOP, LIST, UIDL, CAPA): its `+OK` line and the body as sent. */
  async multiline(line: string): Promise<{ status: string; wire: Buffer }> {
    const status = await this.command(line);
    for (;;) {
      const wire = this.#reader.takeMultiline();
      if (wire) return { status, wire };
      await this.#waitForData(`the rest of the ${verb(line)} response`);
    }
  }

  /** STAT (RFC 1939 §5): messages in the maildrop and their size in octets. */
  async stat(): Promise<{ count: number; octets: number }> {
    const [, count, octets] = (await this.command('STAT')).split(' ');
    if (!/^\d+$/.test(count ?? '') || !/^\d+$/.test(octets ?? '')) throw new Pop3ProtocolError(`STAT answered without a drop listing: ${count} ${octets}`);
    return { count: Number(count), octets: Number(octets) };
  }

  /** RETR n (RFC 1939 §5). */
  async retrieve(n: number): Promise<RetrievedMessage> {
    const { status, wire } = await this.multiline(`RETR ${n}`);
    return new RetrievedMessage(status, wire);
  }

  /** QUIT (RFC 1939 §6): the server removes the messages marked deleted (UPDATE state), then the connection closes. */
  async quit(): Promise<void> {
    try {
      await this.command('QUIT');
    } finally {
      this.close();
    }
  }

  /** Drops the connection without QUIT: RFC 1939 §6, no UPDATE state, nothing marked deleted is removed. */
  close(): void {
    this.#fail(new Pop3ConnectionError('connection closed by the client'));
    this.socket.destroy();
  }

  #send(line: string): void {
    if (this.#failure) throw this.#failure;
    this.socket.write(`${line}\r\n`);
  }

  /** RFC 1939 §3: every response begins with a status indicator, +OK or -ERR. */
  #judge(command: string, line: string): string {
    if (line === '+OK' || line.startsWith('+OK ')) return line;
    if (line === '-ERR' || line.startsWith('-ERR ')) throw new Pop3ReplyError(command, line);
    throw new Pop3ProtocolError(`${command}: no status indicator in ${JSON.stringify(line.slice(0, 100))}`);
  }

  async #readLine(what: string): Promise<string> {
    for (;;) {
      const line = this.#reader.takeLine();
      if (line !== undefined) return line;
      await this.#waitForData(`the response to ${what}`);
    }
  }

  /** Resolves when more octets arrived; rejects once the connection failed or after the time limit (which closes it). */
  #waitForData(what: string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new Pop3ConnectionError(`timed out after ${this.timeoutMs} ms waiting for ${what}`);
        this.#fail(error);
        this.socket.destroy();
        reject(error);
      }, this.timeoutMs);
      this.#wake = () => {
        clearTimeout(timer);
        if (this.#failure && this.#reader.buffered === 0) reject(this.#failure);
        else resolve();
      };
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** Messages in a maildrop right now: a whole session (login, STAT, QUIT). */
export async function countMessages(port: number, user: string, password: string, options: Pop3ClientOptions = {}): Promise<number> {
  const client = await Pop3Client.login(port, user, password, options);
  try {
    return (await client.stat()).count;
  } finally {
    await client.quit().catch(() => client.close());
  }
}

/** The command's name, for messages (never its arguments: PASS carries a password). */
function verb(line: string): string {
  return line.split(' ', 1)[0] ?? line;
}
