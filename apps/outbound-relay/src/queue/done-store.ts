/**
 * Which recipients of a queued message are settled (delivered or bounced),
 * so that a redelivery of the message after a temporary failure — or after
 * a crash — never sends them a second copy. Kept in a Redis hash per message
 * (`<prefix>relay:done:<queueId>`, one field per recipient) that every
 * replica shares, and that expires after the message's lifetime.
 */
import type { Redis } from 'ioredis';
import type { SmtpReply } from '@mail/smtp';
import type { RemoteServer } from '../delivery/recipient-outcome';

/** A recipient with a final outcome. */
export interface SettledRecipient {
  readonly recipient: string;
  readonly outcome: 'delivered' | 'bounced';
  readonly detail: string;
  /** ISO timestamp of the outcome. */
  readonly at: string;
  readonly remote?: RemoteServer;
  readonly reply?: SmtpReply;
  /** Its delivery event (and, for a bounce, the bounce notice) went out. */
  readonly announced: boolean;
}

export interface DoneStore {
  /** Settled recipients of the message, by address. */
  load(queueId: string): Promise<Map<string, SettledRecipient>>;
  /** Records (or updates) settled recipients. */
  save(queueId: string, settled: readonly SettledRecipient[]): Promise<void>;
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
      const record = JSON.parse(json) as SettledRecipient;
      settled.set(recipient, record);
    }
    return settled;
  }

  async save(queueId: string, settled: readonly SettledRecipient[]): Promise<void> {
    if (settled.length === 0) return;
    const key = RedisDoneStore.key(queueId);
    const fields = Object.fromEntries(settled.map((s) => [s.recipient, JSON.stringify(s)]));
    const results = await this.redis.multi().hset(key, fields).pexpire(key, this.ttlMs).exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw new Error(`recording settled recipients of ${queueId} failed`, { cause: failed?.[0] });
  }
}
