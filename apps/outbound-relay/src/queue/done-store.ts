/**
 * Which recipients of a queued message are settled (delivered, bounced, or
 * deleted by an administrator), so that a redelivery of the message after a
 * temporary failure — or after a crash — never sends them a second copy.
 * Kept in a Redis hash per message (`<prefix>relay:done:<queueId>`, one
 * field per recipient) that every replica shares, and that expires after the
 * message's lifetime. Fields whose name starts with `<` (never an address)
 * record per-message facts: which notices went out (the delay notice is
 * sent once per message).
 */
import type { Redis } from 'ioredis';
import type { SmtpReply } from '@mail/smtp';
import type { RemoteServer } from '../delivery/recipient-outcome';

/** A recipient with a final outcome. */
export interface SettledRecipient {
  readonly recipient: string;
  readonly outcome: 'delivered' | 'bounced' | 'deleted';
  readonly detail: string;
  /** ISO timestamp of the outcome. */
  readonly at: string;
  readonly remote?: RemoteServer;
  readonly reply?: SmtpReply;
  /** Bounced because the message ran out of time (RFC 3463 X.4.7), its last reply temporary. */
  readonly expired?: boolean;
  /** Delivered to a server that offers DSN: NOTIFY went along, that server reports success (RFC 3461 §5.2.1). */
  readonly dsnPassed?: boolean;
  /** Its delivery event (and, for a bounce, the bounce notice) went out. */
  readonly announced: boolean;
}

/** A per-message notice that goes out once. */
export type OnceNotice = 'delay-notice';

export interface DoneStore {
  /** Settled recipients of the message, by address. */
  load(queueId: string): Promise<Map<string, SettledRecipient>>;
  /** Records (or updates) settled recipients. */
  save(queueId: string, settled: readonly SettledRecipient[]): Promise<void>;
  /** When the notice went out, if it did. */
  noticeSent(queueId: string, notice: OnceNotice): Promise<string | undefined>;
  markNoticeSent(queueId: string, notice: OnceNotice, at: Date): Promise<void>;
}

/** DoneStore in a Redis hash; the client's keyPrefix supplies `<prefix>`. */
export class RedisDoneStore implements DoneStore {
  constructor(
    private readonly redis: Redis,
    /** How long the record outlives its last update: at least the message's whole retry horizon. */
    private readonly ttlMs: number,
  ) {}

  static key(queueId: string): string {
    return `relay:done:${queueId}`;
  }

  async load(queueId: string): Promise<Map<string, SettledRecipient>> {
    const fields = await this.redis.hgetall(RedisDoneStore.key(queueId));
    const settled = new Map<string, SettledRecipient>();
    for (const [recipient, json] of Object.entries(fields)) {
      if (recipient.startsWith('<')) continue;
      settled.set(recipient, JSON.parse(json) as SettledRecipient);
    }
    return settled;
  }

  async save(queueId: string, settled: readonly SettledRecipient[]): Promise<void> {
    if (settled.length === 0) return;
    await this.write(queueId, Object.fromEntries(settled.map((s) => [s.recipient, JSON.stringify(s)])));
  }

  async noticeSent(queueId: string, notice: OnceNotice): Promise<string | undefined> {
    return (await this.redis.hget(RedisDoneStore.key(queueId), `<${notice}>`)) ?? undefined;
  }

  async markNoticeSent(queueId: string, notice: OnceNotice, at: Date): Promise<void> {
    await this.write(queueId, { [`<${notice}>`]: at.toISOString() });
  }

  private async write(queueId: string, fields: Record<string, string>): Promise<void> {
    const key = RedisDoneStore.key(queueId);
    const results = await this.redis.multi().hset(key, fields).pexpire(key, this.ttlMs).exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw new Error(`recording settled recipients of ${queueId} failed`, { cause: failed?.[0] });
  }
}
