/**
 * What the clients know about each message: every attempt's outcome and
 * when (if ever) it got its 250. A message refused is retried later with
 * the same Message-ID, as an MTA would; a message whose attempt ended in
 * the RFC 1047 window (`unconfirmed`) is not retried, so the matrix can
 * tell whether that one attempt was stored once or not at all — a retry
 * would make a legitimate duplicate indistinguishable from a real one.
 */
import type { PlannedMessage } from './message-plan';
import type { AttemptOutcome } from './smtp-attempt';

export type MessageState = 'pending' | 'accepted' | 'unconfirmed' | 'refused';

export interface MessageRecord {
  readonly message: PlannedMessage;
  state: MessageState;
  attempts: number;
  firstSentAt?: number;
  acceptedAt?: number;
  /** Not before this time (ms since the epoch) for the next attempt. */
  retryAt: number;
}

/** Pause before retrying a refused message: grows with the attempts, capped. */
export function retryDelayMs(attempts: number): number {
  return Math.min(250 * 2 ** Math.max(0, attempts - 1), 4_000);
}

export class MessageLedger {
  readonly records: MessageRecord[] = [];

  constructor(
    /** After this many refused attempts the message is given up (it stays "refused"). */
    private readonly maxAttempts: number,
  ) {}

  add(message: PlannedMessage): MessageRecord {
    const record: MessageRecord = { message, state: 'pending', attempts: 0, retryAt: 0 };
    this.records.push(record);
    return record;
  }

  /** Records one attempt's outcome; true when the message needs another attempt. */
  settle(record: MessageRecord, outcome: AttemptOutcome, now = Date.now()): boolean {
    record.attempts++;
    record.firstSentAt ??= now;
    if (outcome === 'accepted') {
      record.state = 'accepted';
      record.acceptedAt = now;
      return false;
    }
    if (outcome === 'unconfirmed') {
      record.state = 'unconfirmed';
      return false;
    }
    if (record.attempts >= this.maxAttempts) {
      record.state = 'refused';
      return false;
    }
    record.retryAt = now + retryDelayMs(record.attempts);
    return true;
  }

  inPhase(phase: number): MessageRecord[] {
    return this.records.filter((r) => r.message.phase === phase);
  }
}
