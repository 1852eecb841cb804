/**
 * One delivery attempt at one server address: take a session (reused or
 * new), run the transaction for the recipients, and read the replies per
 * recipient. When the server refuses some recipients with 452 "too many
 * recipients" after taking others, they go in a further transaction on the
 * same session (RFC 5321 §4.5.3.1.10).
 */
import { SmtpProtocolError } from '@mail/smtp';
import {
  MessageContentError,
  runTransaction,
  SmtpAuthUnavailableError,
  SmtpConnectionError,
  SmtpSessionRefusedError,
  type SmtpSession,
  type SmtpTarget,
  type TransactionReplies,
  type TransactionRequest,
} from '@mail/smtp-client';
import { recipientResults, recipientsOverLimit, type RecipientResult } from './transaction-result';

export interface HostAttempt {
  readonly target: SmtpTarget;
  /** One per recipient; `untried` ones may go to the next server. */
  readonly results: readonly RecipientResult[];
  /** Why the session failed or stopped short (connect, greeting, EHLO, broken connection, unreadable message). */
  readonly failure?: Error;
  /** Transactions the attempt ran (0 when no session could be opened). */
  readonly transactions: number;
  /** The server offered DSN (RFC 3461), so DSN parameters went along. */
  readonly dsn?: boolean;
  /** The session was protected by TLS (RFC 3207). */
  readonly tls?: boolean;
}

/** Tries `recipients` at one server; never throws for network or protocol trouble. */
export type AttemptHost = (target: SmtpTarget, recipients: readonly string[]) => Promise<HostAttempt>;

/** The message to send, without its recipients (they vary per attempt). */
export type MessageRequest = Omit<TransactionRequest, 'recipients'>;

/** Is this a failure of the session (try another server) rather than a bug? */
export function isSessionFailure(error: unknown): error is Error {
  return (
    error instanceof SmtpConnectionError ||
    error instanceof SmtpProtocolError ||
    error instanceof SmtpSessionRefusedError ||
    error instanceof SmtpAuthUnavailableError ||
    error instanceof MessageContentError
  );
}

/** Where an attempt takes its session and gives it back: the SessionPool, or a batch's connection lane. */
export interface SessionSource {
  acquire(target: SmtpTarget): Promise<SmtpSession>;
  /** `clean`: no transaction is left open on the session (the next MAIL needs no RSET first). */
  release(session: SmtpSession, clean: boolean): void;
}

/**
 * Did the transaction leave the session with no transaction open? After the
 * reply to the end of data it is over whatever the reply (RFC 5321 §4.1.1.4);
 * nothing was opened when MAIL was refused or never sent, and the client
 * sent RSET itself when no recipient was taken. Only a refused DATA (or a
 * failure) leaves recipients behind.
 */
function leftClean(replies: TransactionReplies): boolean {
  return replies.failure === undefined && (replies.dataStart === undefined || replies.dataEnd !== undefined);
}

/** Attempts for one message through `sessions` (the pool, or a batch's lane). */
export function createHostAttempt(sessions: SessionSource, message: MessageRequest): AttemptHost {
  return async (target, recipients) => {
    let session;
    try {
      session = await sessions.acquire(target);
    } catch (error) {
      if (!isSessionFailure(error)) throw error;
      return { target, failure: error, transactions: 0, results: recipients.map((recipient) => ({ recipient, status: 'untried' })) };
    }
    const results: RecipientResult[] = [];
    let pending = recipients;
    let failure: Error | undefined;
    let transactions = 0;
    let clean = false;
    try {
      while (pending.length > 0) {
        const replies = await runTransaction(session, { ...message, recipients: pending });
        transactions++;
        clean = leftClean(replies);
        failure = replies.failure;
        const round = recipientResults(pending, replies);
        const again = failure || !session.usable ? [] : recipientsOverLimit(round);
        results.push(...round.filter((r) => !again.includes(r.recipient)));
        pending = again;
      }
    } finally {
      sessions.release(session, clean);
    }
    const facts = { target, results, transactions, dsn: session.capabilities.has('DSN'), tls: session.tls !== undefined };
    return failure ? { ...facts, failure } : facts;
  };
}
