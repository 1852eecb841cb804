/**
 * The sending side of the matrix: a few concurrent SMTP clients working
 * through one phase's messages, inbound ones on the MX port and the rest by
 * authenticated submission, each connection reused for a batch of messages
 * and dropped at the first failure. Refused messages wait and go again.
 */
import type { SmtpSession } from '@mail/smtp-client';
import type { MessageLedger, MessageRecord } from './message-ledger';
import { submitter } from './message-plan';
import { openSendingSession, sendPlanned } from './smtp-attempt';

export interface SendingTarget {
  readonly smtpPort: number;
  readonly submissionPort: number;
}

/** Messages per connection before a polite QUIT (below the server's limit of 100). */
const messagesPerConnection = 40;

/** Sends every record until each is settled (accepted, unconfirmed or given up). */
export async function sendAll(target: SendingTarget, ledger: MessageLedger, records: readonly MessageRecord[], clients: number): Promise<void> {
  const waiting = [...records];
  let active = 0;

  /** The next record whose retry time has come; undefined when all are settled. */
  async function next(): Promise<MessageRecord | undefined> {
    for (;;) {
      const now = Date.now();
      const index = waiting.findIndex((r) => r.retryAt <= now);
      if (index >= 0) return waiting.splice(index, 1)[0];
      if (waiting.length === 0 && active === 0) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function client(): Promise<void> {
    const sessions: { inbound?: SmtpSession; submission?: SmtpSession } = {};
    for (let record = await next(); record; record = await next()) {
      active++;
      try {
        const via = record.message.via;
        let session = sessions[via];
        let outcome: 'accepted' | 'refused' | 'unconfirmed' = 'refused';
        try {
          session ??= await openSendingSession(via === 'inbound' ? target.smtpPort : target.submissionPort, via === 'submission' ? submitter : undefined);
          sessions[via] = session;
          outcome = await sendPlanned(session, record.message);
        } catch {
          outcome = 'refused';
        }
        if (outcome !== 'accepted' || (session && session.transactions >= messagesPerConnection)) {
          const done = sessions[via];
          delete sessions[via];
          if (done) void (outcome === 'accepted' ? done.quit() : Promise.resolve(done.destroy()));
        }
        if (ledger.settle(record, outcome)) waiting.push(record);
      } finally {
        active--;
      }
    }
    await Promise.all([sessions.inbound?.quit(), sessions.submission?.quit()]);
  }

  await Promise.all(Array.from({ length: clients }, () => client()));
}
