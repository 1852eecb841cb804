/**
 * SMTP clients that behave like a sending MTA in front of several replicas
 * (a load balancer's view of a Deployment), sending with @mail/smtp-client:
 * each worker keeps a session for a few messages, then reconnects to the
 * next replica; on a refused connection, a 421 (RFC 5321 §3.8: the server
 * is shutting down) or any other 4xx, and on a connection lost before the
 * end of data, it tries the message again on another replica after a short
 * pause. A 5xx refuses the message for good. The outcome of every message
 * is recorded, including whether a connection was ever lost after the
 * final dot was sent and before its reply (the one case in which the client
 * cannot know whether the server took the message, RFC 1047). Messages go
 * out byte for byte as the test wrote them (only dot-stuffed), so a bare LF
 * reaches the server for it to refuse.
 */
import { SmtpProtocolError, type SmtpReply } from '@mail/smtp';
import {
  messageRequest,
  openSession,
  replyText,
  runTransaction,
  SmtpConnectionError,
  SmtpSessionRefusedError,
  SmtpTimeoutError,
  transactionOutcome,
  type SmtpSession,
  type SmtpTimeouts,
} from '@mail/smtp-client';

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
  { readonly status: 'accepted'; readonly attempts: number; readonly port: number; readonly reply: string } | { readonly status: 'refused'; readonly attempts: number; readonly reply: string };

export interface SendReport {
  readonly outcomes: Map<string, MessageOutcome>;
  /** Message-IDs whose connection was lost after the final dot and before the reply. */
  readonly ambiguous: Set<string>;
  /** Attempts that failed temporarily (connection refused or lost, 4xx), by the reply or error seen. */
  readonly retries: Map<string, number>;
}

/** A temporary failure: try the message again elsewhere; `lostAfterDot` when the server may have the message. */
class TryAgainError extends Error {
  override readonly name = 'TryAgainError';
  constructor(
    reason: string,
    readonly lostAfterDot = false,
  ) {
    super(reason);
  }
}

/** The server refused the message for good. */
class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

const replyTimeoutMs = 90_000;
const timeouts: SmtpTimeouts = { connectMs: replyTimeoutMs, greetingMs: replyTimeoutMs, commandMs: replyTimeoutMs, dataInitMs: replyTimeoutMs, dataBlockMs: replyTimeoutMs, dataEndMs: replyTimeoutMs };
const maxAttempts = 30;
const messagesPerConnection = 10;

/** RFC 5321 §4.5.2: a line starting with a dot gets one more. */
function dotStuff(content: string): string {
  return content.replace(/(^|\r\n)\./g, '$1..');
}

/** A reply other than success: TryAgainError for 4xx (421 included), RefusedError for 5xx (RFC 5321 §4.2.1). */
function refusal(reply: SmtpReply): Error {
  if (reply.code >= 400 && reply.code < 500) return new TryAgainError(reply.code === 421 ? '421' : replyText(reply).slice(0, 9));
  return new RefusedError(replyText(reply));
}

/** A session failure as the worker sees it: try again (connection trouble, 4xx) or refused (5xx). */
function sessionFailure(error: unknown): Error {
  if (error instanceof SmtpSessionRefusedError) return refusal(error.reply);
  if (error instanceof SmtpTimeoutError) return new TryAgainError('reply timeout');
  if (error instanceof SmtpConnectionError && error.message.startsWith('connect failed'))
    return new TryAgainError(`connect: ${(error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.message}`);
  if (error instanceof SmtpConnectionError || error instanceof SmtpProtocolError) return new TryAgainError('connection lost');
  return error as Error;
}

/** Connects to one replica, greets and, for submission, logs in. */
async function connect(port: number, route: SenderRoute): Promise<SmtpSession> {
  try {
    return await openSession({ host: '127.0.0.1', address: '127.0.0.1', port }, { heloName: 'sender.crepes.fr', timeouts, startTls: false, ...(route.auth ? { auth: route.auth } : {}) });
  } catch (error) {
    throw sessionFailure(error);
  }
}

/** One transaction, to every recipient or none; resolves with the success reply. */
async function transaction(session: SmtpSession, message: OutgoingMessage): Promise<string> {
  const request = messageRequest({ from: message.from, to: message.to, allRecipientsOrNone: true, verbatim: true }, dotStuff(message.content));
  const outcome = transactionOutcome(await runTransaction(session, request));
  switch (outcome.kind) {
    case 'accepted':
      return replyText(outcome.reply);
    case 'refused':
      throw refusal(outcome.reply);
    case 'unconfirmed':
      throw new TryAgainError(outcome.error instanceof SmtpTimeoutError ? 'reply timeout' : 'connection lost', true);
    case 'failed':
      throw sessionFailure(outcome.error);
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
    let session: SmtpSession | undefined;
    for (let message = next(); message !== undefined; message = next()) {
      let lastPort: number | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          if (session !== undefined && session.transactions >= messagesPerConnection) {
            await session.quit();
            session = undefined;
          }
          session ??= await connect(chooser.pick(lastPort), route);
          const reply = await transaction(session, message);
          report.outcomes.set(message.messageId, { status: 'accepted', attempts: attempt, port: session.target.port, reply });
          break;
        } catch (error) {
          lastPort = session?.target.port ?? lastPort;
          session?.destroy();
          session = undefined;
          if (error instanceof RefusedError) {
            report.outcomes.set(message.messageId, { status: 'refused', attempts: attempt, reply: error.message });
            break;
          }
          if (!(error instanceof TryAgainError)) throw error;
          if (error.lostAfterDot) report.ambiguous.add(message.messageId);
          report.retries.set(error.message, (report.retries.get(error.message) ?? 0) + 1);
          if (attempt >= maxAttempts) {
            report.outcomes.set(message.messageId, { status: 'refused', attempts: attempt, reply: `gave up: ${error.message}` });
            break;
          }
          await pause(50 + Math.random() * 200);
        }
      }
    }
    await session?.quit();
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

export function emptyReport(): SendReport {
  return { outcomes: new Map(), ambiguous: new Set(), retries: new Map() };
}
