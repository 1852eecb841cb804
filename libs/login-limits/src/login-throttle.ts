/**
 * Brute-force protection: failed logins are counted per user name and per
 * client network in Redis, so every replica of a service sees the same
 * counts. Each counter lives for a fixed window from its first failure
 * (INCR, then PEXPIRE when it was new); once a counter reaches its limit,
 * logins for that user, or from that network, are refused — even with the
 * right password — until the window ends. The failure that brings a counter
 * to its limit is reported once (only one INCR across the replicas sees
 * that value): the lock-out metric.
 *
 * Each protocol keeps its counters under its own key prefix (`pop3:`,
 * `imap:`), so the limits of POP3 and IMAP are set and counted separately.
 */
import type { Redis } from 'ioredis';

/** Limits of the throttle (POP3_AUTH_*, IMAP_AUTH_*). */
export interface ThrottleLimits {
  readonly maxFailuresPerUser: number;
  readonly maxFailuresPerNetwork: number;
  readonly windowMs: number;
}

export type ThrottleVerdict = { readonly blocked: false } | { readonly blocked: true; readonly scope: 'user' | 'network'; readonly retryAfterMs: number };

/** Counts failed logins and says when to refuse. */
export interface LoginThrottle {
  /** @throws the protocol's "try again later" error ({@link RedisLoginThrottleOptions.unavailable}) when the counters cannot be read. */
  check(user: string, network: string): Promise<ThrottleVerdict>;
  /** One more failed attempt for both counters. Never throws. */
  recordFailure(user: string, network: string): Promise<void>;
  /** The user proved the password: its counter starts over (the network's does not). Never throws. */
  recordSuccess(user: string): Promise<void>;
}

/** Minimal log the throttle reports to. */
export interface ThrottleLog {
  warn(obj: object, msg: string): void;
}

/** Settings of a {@link RedisLoginThrottle}. */
export interface RedisLoginThrottleOptions {
  /** The protocol's key prefix: `pop3` gives `pop3:auth-failures:…` (before the client's REDIS_KEY_PREFIX). */
  readonly keyPrefix: string;
  readonly limits: ThrottleLimits;
  readonly log: ThrottleLog;
  /** Called once when a counter reaches its limit (the lock-out metric). */
  readonly onLockout?: (scope: 'user' | 'ip') => void;
  /** The error `check` throws when Redis cannot answer: the protocol's temporary refusal, carrying `cause`. */
  readonly unavailable: (cause: unknown) => Error;
}

// INCR each key; start the window on the first failure only (fixed window). Returns the new counts.
const RECORD_SCRIPT = `local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return counts`;

/** The Redis keys of the counters, before the client's key prefix: `<keyPrefix>:auth-failures:user:<user>` and `…:net:<network>`. */
export function throttleKeys(keyPrefix: string, user: string, network: string): { user: string; network: string } {
  return { user: `${keyPrefix}:auth-failures:user:${user.toLowerCase()}`, network: `${keyPrefix}:auth-failures:net:${network}` };
}

/** {@link LoginThrottle} in Redis (keys prefixed by the client's REDIS_KEY_PREFIX). */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLoginThrottleOptions,
  ) {}

  async check(user: string, network: string): Promise<ThrottleVerdict> {
    const keys = this.#keys(user, network);
    const { limits } = this.options;
    try {
      const [userCount, networkCount] = await this.redis.mget(keys.user, keys.network);
      if (Number(userCount ?? 0) >= limits.maxFailuresPerUser) return { blocked: true, scope: 'user', retryAfterMs: await this.#ttl(keys.user) };
      if (Number(networkCount ?? 0) >= limits.maxFailuresPerNetwork) return { blocked: true, scope: 'network', retryAfterMs: await this.#ttl(keys.network) };
      return { blocked: false };
    } catch (cause) {
      throw this.options.unavailable(cause);
    }
  }

  async recordFailure(user: string, network: string): Promise<void> {
    const keys = this.#keys(user, network);
    const { limits, onLockout } = this.options;
    try {
      const counts = (await this.redis.eval(RECORD_SCRIPT, 2, keys.user, keys.network, String(limits.windowMs))) as number[];
      if (counts[0] === limits.maxFailuresPerUser) onLockout?.('user');
      if (counts[1] === limits.maxFailuresPerNetwork) onLockout?.('ip');
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not count a failed login');
    }
  }

  async recordSuccess(user: string): Promise<void> {
    try {
      await this.redis.del(this.#keys(user, '').user);
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not reset the failed-login counter');
    }
  }

  #keys(user: string, network: string): { user: string; network: string } {
    return throttleKeys(this.options.keyPrefix, user, network);
  }

  async #ttl(key: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(key));
  }
}
