/**
 * Brute-force protection, the same scheme as pop3-server's: failed logins
 * are counted per user name and per client network in Redis for a fixed
 * window from the first failure (INCR, then PEXPIRE when new), so every
 * replica sees the same counts; once a counter reaches its limit, logins
 * for that user, or from that network, are refused — even with the right
 * password — until the window ends. The failure that brings a counter to
 * its limit is reported once (only one INCR across the replicas sees that
 * value): the lock-out metric. Keys live under `imap:` so the limits of the
 * two protocols are set separately.
 */
import type { Redis } from 'ioredis';
import { ImapResponseError } from '@mail/imap';

/** Limits of the throttle (IMAP_AUTH_*). */
export interface ThrottleLimits {
  readonly maxFailuresPerUser: number;
  readonly maxFailuresPerNetwork: number;
  readonly windowMs: number;
}

export type ThrottleVerdict = { readonly blocked: false } | { readonly blocked: true; readonly scope: 'user' | 'network' };

/** Counts failed logins and says when to refuse. */
export interface LoginThrottle {
  /** @throws ImapResponseError NO [UNAVAILABLE] when the counters cannot be read. */
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

// INCR each key; start the window on the first failure only (fixed window). Returns the new counts.
const RECORD_SCRIPT = `local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return counts`;

/** The Redis keys of the counters, before the client's key prefix. */
export function throttleKeys(user: string, network: string): { user: string; network: string } {
  return { user: `imap:auth-failures:user:${user.toLowerCase()}`, network: `imap:auth-failures:net:${network}` };
}

/** {@link LoginThrottle} in Redis (keys prefixed by the client's REDIS_KEY_PREFIX). */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly limits: ThrottleLimits,
    private readonly log: ThrottleLog,
    private readonly onLockout: (scope: 'user' | 'ip') => void = () => undefined,
  ) {}

  async check(user: string, network: string): Promise<ThrottleVerdict> {
    const keys = throttleKeys(user, network);
    try {
      const [userCount, networkCount] = await this.redis.mget(keys.user, keys.network);
      if (Number(userCount ?? 0) >= this.limits.maxFailuresPerUser) return { blocked: true, scope: 'user' };
      if (Number(networkCount ?? 0) >= this.limits.maxFailuresPerNetwork) return { blocked: true, scope: 'network' };
      return { blocked: false };
    } catch (cause) {
      throw new ImapResponseError('NO', 'Cannot check logins right now, try again later', { code: 'UNAVAILABLE', userFault: false, cause });
    }
  }

  async recordFailure(user: string, network: string): Promise<void> {
    const keys = throttleKeys(user, network);
    try {
      const counts = (await this.redis.eval(RECORD_SCRIPT, 2, keys.user, keys.network, String(this.limits.windowMs))) as number[];
      if (counts[0] === this.limits.maxFailuresPerUser) this.onLockout('user');
      if (counts[1] === this.limits.maxFailuresPerNetwork) this.onLockout('ip');
    } catch (error) {
      this.log.warn({ err: error }, 'could not count a failed login');
    }
  }

  async recordSuccess(user: string): Promise<void> {
    try {
      await this.redis.del(throttleKeys(user, '').user);
    } catch (error) {
      this.log.warn({ err: error }, 'could not reset the failed-login counter');
    }
  }
}

/** No limits (unit tests). */
export const noLoginThrottle: LoginThrottle = {
  check: async () => ({ blocked: false }),
  recordFailure: async () => undefined,
  recordSuccess: async () => undefined,
};
