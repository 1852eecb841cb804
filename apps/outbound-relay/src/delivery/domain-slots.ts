/**
 * Per-domain delivery concurrency shared by every relay replica: a counting
 * semaphore in Redis (`<prefix>relay:slots:<domain>`, a sorted set of slot
 * tokens scored by their expiry). A slot is a lease: the holder refreshes it
 * while it delivers, so a replica that crashes frees its slots when the
 * lease runs out instead of holding them forever. Like Postfix's
 * default_destination_concurrency_limit, but across replicas.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Slots held for a delivery; release them when done. */
export interface SlotLease {
  release(): Promise<void>;
}

export interface DomainSlots {
  /** A slot for every domain, or undefined (nothing held) when one of them is at its limit. */
  acquire(domains: readonly string[]): Promise<SlotLease | undefined>;
}

// KEYS[1] slots key; ARGV: now, expiry, limit, token, ttl. Expired tokens leave first.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

// KEYS[1] slots key; ARGV: expiry, token, ttl. Only a token still held is extended.
const REFRESH = `
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0`;

export class RedisDomainSlots implements DomainSlots {
  constructor(
    private readonly redis: Redis,
    /** Concurrent deliveries per domain across all replicas. */
    private readonly limit: number,
    /** How long a slot outlives its holder's last refresh. */
    private readonly leaseMs = 60_000,
  ) {}

  static key(domain: string): string {
    return `relay:slots:${domain}`;
  }

  async acquire(domains: readonly string[]): Promise<SlotLease | undefined> {
    const token = randomBytes(12).toString('hex');
    const held: string[] = [];
    // Sorted, so two replicas asking for the same set meet in the same order
    for (const domain of [...new Set(domains)].sort()) {
      const key = RedisDomainSlots.key(domain);
      const now = Date.now();
      const ok = await this.redis.eval(ACQUIRE, 1, key, now, now + this.leaseMs, this.limit, token, this.leaseMs * 2);
      if (ok !== 1) {
        await this.releaseAll(held, token);
        return undefined;
      }
      held.push(key);
    }
    const timer = setInterval(() => void this.refresh(held, token).catch(() => undefined), Math.max(100, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return {
      release: async () => {
        clearInterval(timer);
        await this.releaseAll(held, token);
      },
    };
  }

  private async refresh(keys: readonly string[], token: string): Promise<void> {
    const expiry = Date.now() + this.leaseMs;
    for (const key of keys) await this.redis.eval(REFRESH, 1, key, expiry, token, this.leaseMs * 2);
  }

  private async releaseAll(keys: readonly string[], token: string): Promise<void> {
    await Promise.all(keys.map((key) => this.redis.zrem(key, token)));
  }
}
