/**
 * The Redis records of a batch of queued messages, each step one pipeline
 * (one write and one round trip for the whole batch instead of a dozen per
 * message). The keys and values are those of the one-at-a-time path —
 * RedisMessageLocks (leases), RedisQueueStore (queue records and their
 * index), RedisDoneStore (settled recipients) — so both paths, mailctl's
 * queue commands and other replicas see the same records.
 *
 * Redis runs a pipeline's commands in order, so what one message's commands
 * do follows the order of the one-at-a-time path (settled recipients before
 * their announcement, the announcement before the queue record goes, the
 * lease released last). Every message gets its own result: a command that
 * fails fails only its message (retried by JetStream, the records being
 * idempotent); a pipeline that fails as a whole (Redis unreachable) fails
 * every message of the step. The writes are not MULTI/EXEC transactions as
 * in the stores: a record and its index entry, or a hash and its expiry,
 * are parted only by a crash of Redis between two commands of one write.
 */
import { randomBytes } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import type { SettledRecipient } from './done-store';
import { RedisDoneStore } from './done-store';
import { RedisMessageLocks } from './message-lock';
import { RedisQueueStore, type QueueRecord } from './queue-store';

/** Only the holder (same token) may extend or release a lease (as RedisMessageLocks). */
const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** What a batch found of one message's records, under its lease when it got it. */
export interface OpenedMessage {
  readonly queueId: string;
  /** The lease's token; undefined when another worker holds the lease. */
  readonly leaseToken: string | undefined;
  readonly record: QueueRecord | undefined;
  /** Settled recipients, by address. */
  readonly done: Map<string, SettledRecipient>;
}

/** The last step of a message's round: its announcement marked, its queue record removed or updated, its lease released. */
export interface ClosingMessage {
  readonly queueId: string;
  readonly announced?: readonly SettledRecipient[];
  /** Every recipient settled: the queue record and its index entry go. */
  readonly finished?: boolean;
  /** Some recipients wait: the record as it is now. */
  readonly record?: QueueRecord;
  readonly leaseToken?: string;
}

/** Per message: undefined when its commands succeeded, else the first error. */
export type StepResults = (Error | undefined)[];

type Commands = (pipeline: ChainableCommander) => ChainableCommander;

export class RelayRecords {
  constructor(
    private readonly redis: Redis,
    /** How long queue and done records outlive their last update (the message's retry horizon). */
    private readonly ttlMs: number,
    private readonly leaseMs = 60_000,
  ) {}

  /**
   * One round trip for the batch: each message's lease (SET NX PX, as
   * RedisMessageLocks), then its queue record and settled recipients, read
   * after the lease was taken. Throws when the pipeline fails as a whole.
   */
  async open(queueIds: readonly string[]): Promise<(OpenedMessage | Error)[]> {
    const tokens = queueIds.map(() => randomBytes(12).toString('hex'));
    const pipeline = this.redis.pipeline();
    queueIds.forEach((queueId, i) => {
      pipeline.set(RedisMessageLocks.key(queueId), tokens[i] as string, 'PX', this.leaseMs, 'NX');
      pipeline.get(RedisQueueStore.key(queueId));
      pipeline.hgetall(RedisDoneStore.key(queueId));
    });
    const results = await execPipeline(pipeline);
    return queueIds.map((queueId, i) => {
      const [lease, record, done] = results.slice(i * 3, i * 3 + 3);
      const failed = [lease, record, done].find((result) => result?.[0]);
      if (failed) return asError(failed[0]);
      return {
        queueId,
        leaseToken: lease?.[1] === 'OK' ? tokens[i] : undefined,
        record: typeof record?.[1] === 'string' ? (JSON.parse(record[1]) as QueueRecord) : undefined,
        done: settledOf((done?.[1] ?? {}) as Record<string, string>),
      };
    });
  }

  /** Refreshes the leases while the batch works (one pipeline each time); returns the function that stops it. */
  keepLeases(leases: readonly { readonly queueId: string; readonly leaseToken: string }[]): () => void {
    if (leases.length === 0) return () => undefined;
    const refresh = () => {
      const pipeline = this.redis.pipeline();
      for (const { queueId, leaseToken } of leases) pipeline.eval(REFRESH, 1, RedisMessageLocks.key(queueId), leaseToken, this.leaseMs);
      // A lease that cannot be refreshed runs out by itself; the round goes on (as RedisMessageLocks)
      pipeline.exec().catch(() => undefined);
    };
    const timer = setInterval(refresh, Math.max(100, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Queue records as they are before the delivery (RedisQueueStore.save for each). */
  saveQueue(records: readonly QueueRecord[]): Promise<StepResults> {
    return this.step(records.map((record) => (pipeline) => this.queueWrite(pipeline, record)));
  }

  /** Settled recipients of each message (RedisDoneStore.save for each). */
  saveSettled(entries: readonly { readonly queueId: string; readonly settled: readonly SettledRecipient[] }[]): Promise<StepResults> {
    return this.step(
      entries.map(
        ({ queueId, settled }) =>
          (pipeline) =>
            this.doneWrite(pipeline, queueId, settled),
      ),
    );
  }

  /**
   * The end of each message's round, in the one-at-a-time order. A lease
   * that cannot be released is not an error of the message: it runs out by
   * itself (failing the round over it would send a finished round again).
   */
  close(messages: readonly ClosingMessage[]): Promise<StepResults> {
    return this.step(
      messages.map((message) => (pipeline) => {
        if (message.announced && message.announced.length > 0) this.doneWrite(pipeline, message.queueId, message.announced);
        if (message.finished) pipeline.del(RedisQueueStore.key(message.queueId)).zrem(RedisQueueStore.index, message.queueId);
        if (message.record) this.queueWrite(pipeline, message.record);
        return pipeline;
      }),
      messages.flatMap((message) => (message.leaseToken ? [{ queueId: message.queueId, leaseToken: message.leaseToken }] : [])),
    );
  }

  /** Releases leases taken by `open` that the batch did not use (stale copies); failures are left to the lease's expiry. */
  async release(leases: readonly { readonly queueId: string; readonly leaseToken: string }[]): Promise<void> {
    if (leases.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { queueId, leaseToken } of leases) pipeline.eval(RELEASE, 1, RedisMessageLocks.key(queueId), leaseToken);
    await pipeline.exec().catch(() => undefined);
  }

  private queueWrite(pipeline: ChainableCommander, record: QueueRecord): ChainableCommander {
    const { queueId, queuedAt } = record.message;
    return pipeline.set(RedisQueueStore.key(queueId), JSON.stringify(record), 'PX', this.ttlMs).zadd(RedisQueueStore.index, Date.parse(queuedAt) || 0, queueId);
  }

  private doneWrite(pipeline: ChainableCommander, queueId: string, settled: readonly SettledRecipient[]): ChainableCommander {
    if (settled.length === 0) return pipeline;
    const key = RedisDoneStore.key(queueId);
    return pipeline.hset(key, Object.fromEntries(settled.map((s) => [s.recipient, JSON.stringify(s)]))).pexpire(key, this.ttlMs);
  }

  /** One pipeline: each message's commands, then lease releases (their results ignored); per message its first error. */
  private async step(perMessage: readonly Commands[], releases: readonly { readonly queueId: string; readonly leaseToken: string }[] = []): Promise<StepResults> {
    const pipeline = this.redis.pipeline();
    const ranges: [number, number][] = [];
    for (const commands of perMessage) {
      const start = pipeline.length;
      commands(pipeline);
      ranges.push([start, pipeline.length]);
    }
    for (const { queueId, leaseToken } of releases) pipeline.eval(RELEASE, 1, RedisMessageLocks.key(queueId), leaseToken);
    if (pipeline.length === 0) return perMessage.map(() => undefined);
    let results: [Error | null, unknown][];
    try {
      results = await execPipeline(pipeline);
    } catch (error) {
      return perMessage.map(() => asError(error));
    }
    return ranges.map(([start, end]) => {
      const failed = results.slice(start, end).find(([error]) => error);
      return failed ? asError(failed[0]) : undefined;
    });
  }
}

async function execPipeline(pipeline: ChainableCommander): Promise<[Error | null, unknown][]> {
  const results = await pipeline.exec();
  if (!results) throw new Error('the Redis pipeline was discarded');
  return results;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** RedisDoneStore.load's reading of the hash: per-message facts (`<…>` fields) left out. */
function settledOf(fields: Record<string, string>): Map<string, SettledRecipient> {
  const settled = new Map<string, SettledRecipient>();
  for (const [recipient, json] of Object.entries(fields)) if (!recipient.startsWith('<')) settled.set(recipient, JSON.parse(json) as SettledRecipient);
  return settled;
}
