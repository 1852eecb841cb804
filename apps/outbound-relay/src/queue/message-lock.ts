/**
 * One worker per queued message at a time, across replicas: a lease in
 * Redis (`<prefix>relay:lock:<queueId>`, SET NX PX with a random token).
 * JetStream hands a message to one consumer at a time, but a `retry` copy,
 * or the administrator's `delete`, could meet a delivery in progress; the
 * lease keeps them apart. The holder refreshes it while it works, so the
 * lease of a crashed replica runs out by itself.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface MessageLease {
  release(): Promise<void>;
}

export interface MessageLocks {
  /** The lease, or undefined when someone else holds it. */
  acquire(queueId: string): Promise<MessageLease | undefined>;
  /** How long the current holder's lease still runs, in ms (0 when free). */
  remainingMs(queueId: string): Promise<number>;
}

// Only the holder (same token) may extend or release the lease
const REFRESH = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisMessageLocks implements MessageLocks {
  constructor(
    private readonly redis: Redis,
    private readonly leaseMs = 60_000,
  ) {}

  static key(queueId: string): string {
    return `relay:lock:${queueId}`;
  }

  async acquire(queueId: string): Promise<MessageLease | undefined> {
    const key = RedisMessageLocks.key(queueId);
    const token = randomBytes(12).toString('hex');
    if ((await this.redis.set(key, token, 'PX', this.leaseMs, 'NX')) !== 'OK') return undefined;
    const timer = setInterval(() => void this.redis.eval(REFRESH, 1, key, token, this.leaseMs).catch(() => undefined), Math.max(100, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, key, token);
      },
    };
  }

  async remainingMs(queueId: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(RedisMessageLocks.key(queueId)));
  }
}
