/**
 * The bench's own load generator: `total` messages over `sessions`
 * concurrent SMTP sessions (@mail/smtp-client), as fast as the server
 * answers (closed loop). Like Postfix's smtp-source without -d, each message
 * gets its own connection unless `reuseConnections` is set. Used when
 * smtp-source is not installed, and for submission (AUTH) where smtp-source
 * cannot go.
 */
import { openSession, replyText, runTransaction, transactionOutcome, type SmtpCredentials, type SmtpSession, type SmtpTimeouts, type TransactionRequest } from '@mail/smtp-client';

/** Two minutes for every step: a loaded machine, a 25 MiB message. */
const benchTimeouts: SmtpTimeouts = { connectMs: 30_000, greetingMs: 120_000, commandMs: 120_000, dataInitMs: 120_000, dataBlockMs: 120_000, dataEndMs: 120_000 };

/** A message the server did not take. */
export class BenchSendError extends Error {
  override name = 'BenchSendError';
}

/** Connects, reads the 220, says EHLO and, for submission, logs in with AUTH PLAIN (in the clear: the bench allows it on loopback). */
export function openBenchSession(port: number, auth?: SmtpCredentials): Promise<SmtpSession> {
  return openSession({ host: '127.0.0.1', address: '127.0.0.1', port }, { heloName: 'bench.client.test', timeouts: benchTimeouts, startTls: false, ...(auth ? { auth } : {}) });
}

/** One transaction; resolves with the milliseconds from the end-of-data mark to the 2xx, rejects with BenchSendError otherwise. */
export async function sendTimed(session: SmtpSession, request: TransactionRequest): Promise<number> {
  const replies = await runTransaction(session, request);
  const answeredAt = performance.now();
  const outcome = transactionOutcome(replies);
  if (outcome.kind === 'accepted') return answeredAt - (replies.endOfDataSentAt ?? answeredAt);
  throw new BenchSendError(
    outcome.kind === 'refused' ? `${outcome.stage}: ${replyText(outcome.reply)}` : `${outcome.kind}: ${outcome.error.message}`,
    outcome.kind === 'refused' ? {} : { cause: outcome.error },
  );
}

export interface SmtpLoadOptions {
  readonly port: number;
  readonly sessions: number;
  readonly total: number;
  readonly message: (index: number) => TransactionRequest;
  readonly reuseConnections?: boolean;
  readonly auth?: SmtpCredentials;
  readonly onProgress?: (accepted: number) => void;
}

export interface SmtpLoadResult {
  /** performance.now() at the first connection and at the last 250. */
  readonly startedAt: number;
  readonly lastAcceptedAt: number;
  readonly accepted: number;
  readonly failed: number;
  readonly firstError: string | undefined;
  /** Milliseconds from the end of data to the 250, per accepted message. */
  readonly endOfDataLatencies: number[];
}

export async function runSmtpLoad(options: SmtpLoadOptions): Promise<SmtpLoadResult> {
  let next = 0;
  let accepted = 0;
  let failed = 0;
  let firstError: string | undefined;
  let lastAcceptedAt = 0;
  const latencies: number[] = [];
  const startedAt = performance.now();

  const worker = async () => {
    let session: SmtpSession | undefined;
    while (next < options.total) {
      const index = next++;
      try {
        session ??= await openBenchSession(options.port, options.auth);
        latencies.push(await sendTimed(session, options.message(index)));
        accepted++;
        lastAcceptedAt = performance.now();
        options.onProgress?.(accepted);
        if (!options.reuseConnections) {
          await session.quit();
          session = undefined;
        }
      } catch (error) {
        failed++;
        firstError ??= (error as Error).message;
        session?.destroy();
        session = undefined;
      }
    }
    await session?.quit();
  };

  await Promise.all(Array.from({ length: Math.min(options.sessions, options.total) }, worker));
  return { startedAt, lastAcceptedAt, accepted, failed, firstError, endOfDataLatencies: latencies };
}
