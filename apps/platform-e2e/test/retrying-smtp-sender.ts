/**
 * SMTP clients that behave like a sending MTA in front of several replicas
 * (a load balancer's view of a Deployment): each worker keeps a connection
 * for a few messages, then reconnects to the next replica; on a refused
 * connection, a 421 (RFC 5321 §3.8: the server is shutting down) or any
 * other 4xx, and on a connection lost before the end of data, it tries the
 * message again on another replica after a short pause. A 5xx refuses the
 * message for good. The outcome of every message is recorded, including
 * whether a connection was ever lost after the final dot was sent and
 * before its reply (the one case in which the client cannot know whether
 * the server took the message).
 */
import { LineClient } from '@mail/testing';

/** A message to send; its Message-ID stays the same across attempts, as a real MTA's queue file does. */
export interface OutgoingMessage {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  /** The header section and body, CRLF line endings, not dot-stuffed. */
  readonly content: string;
}

/** Where a worker connects, and how it authenticates (submission). */
export interface SenderRoute {
  /** One port per replica. */
  readonly ports: () => readonly number[];
  /** AUTH PLAIN credentials (RFC 4616), sent in the clear: the test's submission allows it on loopback. */
  readonly auth?: { readonly user: string; readonly password: string };
}

export type MessageOutcome =
  | { readonly status: 'accepted'; readonly attempts: number; readonly port: number; readonly reply: string }
  | { readonly status: 'refused'; readonly attempts: number; readonly reply: string };

export interface SendReport {
  readonly outcomes: Map<string, MessageOutcome>;
  /** Message-IDs whose connection was lost after the final dot and before the reply. */
  readonly ambiguous: Set<string>;
  /** Attempts that failed temporarily (connection refused or lost, 4xx), by the reply or error seen. */
  readonly retries: Map<string, number>;
}

/** A temporary failure: try the message again elsewhere. */
class TryAgainError extends Error {
  override readonly name = 'TryAgainError';
}

/** The server refused the message for good. */
class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

const replyTimeoutMs = 90_000;
const maxAttempts = 30;
const messagesPerConnection = 10;

/** RFC 5321 §4.5.2: a line starting with a dot gets one more. */
function dotStuff(content: string): string {
  return content.replace(/(^|\r\n)\./g, '$1..');
}

/** One SMTP connection of a worker. */
class Connection {
  sent = 0;
  private constructor(
    readonly client: LineClient,
    readonly port: number,
  ) {}

  static async open(port: number, route: SenderRoute): Promise<Connection> {
    const client = await LineClient.open(port).catch((error: Error) => {
      throw new TryAgainError(`connect: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
    });
    const connection = new Connection(client, port);
    try {
      connection.expect(await connection.read(), 220);
      connection.expect(await connection.command('EHLO sender.crepes.fr'), 250);
      if (route.auth !== undefined) {
        const plain = Buffer.from(`\0${route.auth.user}\0${route.auth.password}`).toString('base64');
        connection.expect(await connection.command(`AUTH PLAIN ${plain}`), 235);
      }
      return connection;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  async read(): Promise<{ code: number; text: string }> {
    try {
      return await this.client.readSmtpReply(replyTimeoutMs);
    } catch (error) {
      throw new TryAgainError((error as Error).message.startsWith('connection closed') ? 'connection lost' : 'reply timeout');
    }
  }

  command(line: string): Promise<{ code: number; text: string }> {
    this.client.send(line);
    return this.read();
  }

  /** Throws for anything but `code`: TryAgainError for 4xx (421 included), RefusedError for 5xx. */
  expect(reply: { code: number; text: string }, code: number): void {
    if (reply.code === code) return;
    if (reply.code >= 400 && reply.code < 500) throw new TryAgainError(reply.text.slice(0, 3) === '421' ? '421' : reply.text.slice(0, 9));
    throw new RefusedError(reply.text);
  }

  /** One transaction; resolves with the 250 reply; `onFinalDot` is called once the whole message is written. */
  async transaction(message: OutgoingMessage, onFinalDot: () => void): Promise<string> {
    this.expect(await this.command(`MAIL FROM:<${message.from}>`), 250);
    for (const to of message.to) this.expect(await this.command(`RCPT TO:<${to}>`), 250);
    this.expect(await this.command('DATA'), 354);
    this.client.write(`${dotStuff(message.content)}.\r\n`);
    onFinalDot();
    const reply = await this.read();
    this.expect(reply, 250);
    this.sent++;
    return reply.text;
  }

  close(): void {
    this.client.send('QUIT');
    this.client.close();
  }
}

/** Chooses ports round-robin over the replicas, shared by every worker of a route. */
class ReplicaChooser {
  #next = 0;
  constructor(private readonly route: SenderRoute) {}
  /** The next replica's port, other than `avoid` when there is a choice. */
  pick(avoid?: number): number {
    const ports = this.route.ports();
    for (let i = 0; i < ports.length; i++) {
      const port = ports[this.#next++ % ports.length] as number;
      if (port !== avoid || ports.length === 1) return port;
    }
    return ports[0] as number;
  }
}

/** Sends every message `next` gives (until undefined) with `workers` concurrent connections over `route`; records into `report`. */
export async function sendAll(next: () => OutgoingMessage | undefined, route: SenderRoute, workers: number, report: SendReport): Promise<void> {
  const chooser = new ReplicaChooser(route);
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const worker = async (): Promise<void> => {
    let connection: Connection | undefined;
    for (let message = next(); message !== undefined; message = next()) {
      let lastPort: number | undefined;
      for (let attempt = 1; ; attempt++) {
        let dotSent = false;
        try {
          if (connection !== undefined && connection.sent >= messagesPerConnection) {
            connection.close();
            connection = undefined;
          }
          connection ??= await Connection.open(chooser.pick(lastPort), route);
          const reply = await connection.transaction(message, () => (dotSent = true));
          report.outcomes.set(message.messageId, { status: 'accepted', attempts: attempt, port: connection.port, reply });
          break;
        } catch (error) {
          lastPort = connection?.port ?? lastPort;
          connection?.client.close();
          connection = undefined;
          if (error instanceof RefusedError) {
            report.outcomes.set(message.messageId, { status: 'refused', attempts: attempt, reply: error.message });
            break;
          }
          if (!(error instanceof TryAgainError)) throw error;
          if (dotSent && error.message !== '421' && !/^4/.test(error.message)) report.ambiguous.add(message.messageId);
          report.retries.set(error.message, (report.retries.get(error.message) ?? 0) + 1);
          if (attempt >= maxAttempts) {
            report.outcomes.set(message.messageId, { status: 'refused', attempts: attempt, reply: `gave up: ${error.message}` });
            break;
          }
          await pause(50 + Math.random() * 200);
        }
      }
    }
    connection?.close();
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

export function emptyReport(): SendReport {
  return { outcomes: new Map(), ambiguous: new Set(), retries: new Map() };
}
