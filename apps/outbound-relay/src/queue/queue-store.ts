/**
 * The relay's view of its queue, in Redis so that every replica (and
 * `mailctl queue`) sees the same: one record per message waiting for remote
 * delivery (`<prefix>relay:queue:<queueId>`, JSON) and an index of them by
 * arrival (`<prefix>relay:queue`, a sorted set scored by queuedAt). JetStream
 * holds the message itself and brings it back on the retry schedule; the
 * record says what is pending, when each recipient is tried next, how many
 * attempts were made, and which stream copy of the message is the live one
 * (`activeSeq`: `retry` and renewal publish a copy; older copies are
 * acknowledged without work when they come back).
 */
import type { OutboundQueued } from '@mail/contracts';
import type { Redis } from 'ioredis';

/** An unsettled recipient. Settled ones are in the DoneStore. */
export interface PendingRecipient {
  readonly state: 'queued' | 'deferred' | 'throttled';
  readonly detail?: string;
  /** ISO time before which it is not tried (absent: at once). */
  readonly retryAt?: string;
}

export interface QueueRecord {
  /** The queued message as JetStream carries it, to publish a copy for `retry`. */
  readonly message: OutboundQueued;
  /** Stream sequence of the live copy; lower sequences are stale copies. */
  readonly activeSeq: number;
  /** Runs that tried at least one server: the index into the retry schedule. */
  readonly attempts: number;
  readonly pending: Readonly<Record<string, PendingRecipient>>;
  readonly updatedAt: string;
}

export interface QueueStore {
  load(queueId: string): Promise<QueueRecord | undefined>;
  save(record: QueueRecord): Promise<void>;
  /** Drops the record and its index entry (the message is settled or deleted). */
  remove(queueId: string): Promise<void>;
  /** Every record, oldest first. */
  list(): Promise<QueueRecord[]>;
}

export class RedisQueueStore implements QueueStore {
  static readonly index = 'relay:queue';

  constructor(
    private readonly redis: Redis,
    /** Records outlive their last update by this much (the message's retry horizon). */
    private readonly ttlMs: number,
  ) {}

  static key(queueId: string): string {
    return `relay:queue:${queueId}`;
  }

  async load(queueId: string): Promise<QueueRecord | undefined> {
    const json = await this.redis.get(RedisQueueStore.key(queueId));
    return json ? (JSON.parse(json) as QueueRecord) : undefined;
  }

  async save(record: QueueRecord): Promise<void> {
    const { queueId, queuedAt } = record.message;
    const results = await this.redis
      .multi()
      .set(RedisQueueStore.key(queueId), JSON.stringify(record), 'PX', this.ttlMs)
      .zadd(RedisQueueStore.index, Date.parse(queuedAt) || 0, queueId)
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw new Error(`recording the queue state of ${queueId} failed`, { cause: failed?.[0] });
  }

  async remove(queueId: string): Promise<void> {
    await this.redis.multi().del(RedisQueueStore.key(queueId)).zrem(RedisQueueStore.index, queueId).exec();
  }

  async list(): Promise<QueueRecord[]> {
    const ids = await this.redis.zrange(RedisQueueStore.index, 0, -1);
    if (ids.length === 0) return [];
    const values = await this.redis.mget(...ids.map((id) => RedisQueueStore.key(id)));
    const records: QueueRecord[] = [];
    const vanished: string[] = [];
    values.forEach((json, i) => {
      if (json) records.push(JSON.parse(json) as QueueRecord);
      else vanished.push(ids[i] as string);
    });
    // A record that expired leaves its index entry behind; tidy up
    if (vanished.length > 0) await this.redis.zrem(RedisQueueStore.index, ...vanished);
    return records;
  }
}
