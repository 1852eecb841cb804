/**
 * Brute-force protection of AUTH, shared by every replica through Redis:
 * failed attempts are counted per client IP (IPv6: per /64) and per user
 * name within a window. Once either count reaches its limit, AUTH is
 * answered 454 4.7.0 without checking the password (RFC 4954 §6: temporary
 * authentication failure), so guessing during the lock-out learns nothing.
 * A success clears the user's count (only the password holder can), never
 * the IP's. Redis trouble fails open: the password is checked as usual.
 * The failure that brings a count to its limit is reported once (the
 * lock-out metric): only one INCR across all replicas sees that value.
 */
import type { Redis } from 'ioredis';
import { clientKey } from './client-key';

/** The limits and the window they count in. */
export interface AuthFailureLimits {
  readonly maxPerIp: number;
  readonly maxPerUser: number;
  readonly windowMs: number;
}

/** Which count is over its limit, if any. */
export type AuthLock = 'ip' | 'user' | undefined;

/** Which count just reached its limit (a lock-out begins). */
export type AuthLockScope = Exclude<AuthLock, undefined>;

/** Failed-AUTH accounting. */
export interface AuthFailureGuard {
  /** Whether the client or the user is locked out now; undefined on Redis trouble too (fail open). */
  lockOf(ip: string, user: string): Promise<AuthLock>;
  recordFailure(ip: string, user: string): Promise<void>;
  recordSuccess(user: string): Promise<void>;
}

// The window starts at the first failure: the lifetime is set only by the INCR that creates the key
const RECORD_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** The Redis keys (before REDIS_KEY_PREFIX). User names are compared case-insensitively. */
export function authFailureKeys(ip: string, user: string): { ip: string; user: string } {
  return { ip: `smtp:auth-fail:ip:${clientKey(ip)}`, user: `smtp:auth-fail:user:${user.toLowerCase()}` };
}

/** {@link AuthFailureGuard} in Redis. */
export class RedisAuthFailureGuard implements AuthFailureGuard {
  constructor(
    private readonly redis: Redis,
    private readonly limits: AuthFailureLimits,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly onLockout: (scope: AuthLockScope) => void = () => undefined,
  ) {}

  async lockOf(ip: string, user: string): Promise<AuthLock> {
    const keys = authFailureKeys(ip, user);
    try {
      const [byIp, byUser] = await Promise.all([this.redis.get(keys.ip), this.redis.get(keys.user)]);
      if (Number(byIp ?? 0) >= this.limits.maxPerIp) return 'ip';
      if (Number(byUser ?? 0) >= this.limits.maxPerUser) return 'user';
    } catch (error) {
      this.onError(error);
    }
    return undefined;
  }

  async recordFailure(ip: string, user: string): Promise<void> {
    const keys = authFailureKeys(ip, user);
    try {
      // One key per call: the two keys may live in different Redis Cluster slots
      const [byIp, byUser] = await Promise.all([keys.ip, keys.user].map((key) => this.redis.eval(RECORD_SCRIPT, 1, key, this.limits.windowMs)));
      if (byIp === this.limits.maxPerIp) this.onLockout('ip');
      if (byUser === this.limits.maxPerUser) this.onLockout('user');
    } catch (error) {
      this.onError(error);
    }
  }

  async recordSuccess(user: string): Promise<void> {
    try {
      await this.redis.del(authFailureKeys('', user).user);
    } catch (error) {
      this.onError(error);
    }
  }
}

/** No accounting (unit tests). */
export const noAuthFailureGuard: AuthFailureGuard = {
  lockOf: async () => undefined,
  recordFailure: async () => undefined,
  recordSuccess: async () => undefined,
};
