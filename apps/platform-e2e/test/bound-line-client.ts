/**
 * A line-oriented TCP client bound to a chosen source address, for the
 * exhaustion and brute-force tests: every address of 127.0.0.0/8 is local
 * on Linux, so binding to 127.0.0.2, 127.0.0.3, … makes each one a different
 * client IP to the servers' per-IP limits. It remembers whether and when
 * the server closed the connection (FIN from the server) as opposed to the
 * client, and when the client began to connect.
 */
import { connect, type Socket } from 'node:net';

export class BoundLineClient {
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  #ended = false;
  #serverClosedAt: number | undefined;
  /** Resolves once the socket is fully closed, whoever closed it. */
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    /** performance.now() before the connect: no server timer for this connection can have started earlier. */
    readonly openedAt: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake();
    });
    // 'end': the server sent its FIN (the client then closes its side: allowHalfOpen is off)
    socket.on('end', () => {
      this.#serverClosedAt = performance.now();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#ended = true;
        this.#wake();
        resolve();
      }),
    );
  }

  /** Connects from `localAddress` to 127.0.0.1:`port`. */
  static open(port: number, localAddress: string, timeoutMs = 30_000): Promise<BoundLineClient> {
    return new Promise((resolve, reject) => {
      const openedAt = performance.now();
      const socket = connect({ port, host: '127.0.0.1', localAddress });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect from ${localAddress} timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new BoundLineClient(socket, openedAt));
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

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** The next CRLF-terminated line; rejects on timeout or when the connection closes first. */
  async readLine(timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf('\r\n');
      if (end >= 0) {
        const line = this.#buffer.subarray(0, end).toString('utf8');
        this.#buffer = this.#buffer.subarray(end + 2);
        return line;
      }
      if (this.#ended) throw new Error('connection closed before a complete line');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no line within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The last line of an SMTP reply (skipping `250-` continuation lines). */
  async readSmtpReply(timeoutMs = 30_000): Promise<string> {
    for (;;) {
      const line = await this.readLine(timeoutMs);
      if (line[3] !== '-') return line;
    }
  }

  /** Sends a line and returns the final SMTP reply line. */
  async smtp(line: string, timeoutMs?: number): Promise<string> {
    this.send(line);
    return this.readSmtpReply(timeoutMs);
  }

  /** Sends a line and returns the POP3 status line. */
  async pop3(line: string, timeoutMs?: number): Promise<string> {
    this.send(line);
    return this.readLine(timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

/** A connection and the first line the server sent on it (greeting or refusal). */
export interface OpenedConnection {
  readonly client: BoundLineClient;
  readonly first: string;
}

/**
 * Opens `count` connections from `localAddress`, `batchSize` at a time, and
 * waits for each one's first line, so the servers see a bounded burst.
 */
export async function openConnections(port: number, localAddress: string, count: number, batchSize = 100): Promise<OpenedConnection[]> {
  const opened: OpenedConnection[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(batchSize, count - start) }, async () => {
        const client = await BoundLineClient.open(port, localAddress);
        return { client, first: await client.readLine(60_000) };
      }),
    );
    opened.push(...batch);
  }
  return opened;
}
