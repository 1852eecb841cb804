/**
 * Per-client connection limits shared by every replica through Redis:
 * how many connections a client IP (see client-key.ts) has open, and how
 * many it opened in the last 60 seconds (a sliding window: a sorted set of
 * recent connection times, so no burst slips through at a minute
 * boundary). Checked once per connection,
 * before the greeting; a refusal is `421 4.7.0` and the connection closes
 * (RFC 5321 §3.1: a server may answer 421 instead of 220).
 *
 * Open connections are a sorted set per client, one member per session
 * scored with the time it must be gone by (the session time limit plus a
 * margin). That is the expiry safety of the count: a replica that crashes
 * without releasing its members stops counting against the client once
 * their time has passed, unlike a bare INCR/DECR counter that would leak
 * for as long as the client keeps connecting.
 *
 * Redis trouble never stops mail: the check fails open (logged, counted).
 */
import type { Redis } from 'ioredis';
import { C421ServiceNotAvailable, EsSecurityOther } from '@mail/smtp';
import { ClosingReplyError } from '../session/session-errors';
import { clientKey } from './client-key';

/** The limits; 0 turns one off. */
export interface ConnectionLimits {
  readonly maxConnectionsPerIp: number;
  readonly maxConnectionRate: number;
  /** The longest a session lives (SMTP_SESSION_TIMEOUT): how long a member may stay in the set. */
  readonly sessionTimeoutMs: number;
}

/** Why a connection was refused, for the metric. */
export type ConnectionRefusal = 'concurrency' | 'rate';

/** The outcome of admitting a connection. */
export type Admission =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly reason: ConnectionRefusal; readonly reply: ClosingReplyError }
  /** Redis did not answer: admitted without counting (fail open). */
  | { readonly admitted: true; readonly unchecked: Error };

/** Connection admission across replicas. */
export interface ConnectionLimiter {
  admit(ip: string, sessionId: string): Promise<Admission>;
  /** Forget the session's slot (best effort; the slot expires by itself otherwise). */
  release(ip: string, sessionId: string): Promise<void>;
}

// KEYS[1] recent connections (scored by start time), KEYS[2] open connections (scored by deadline)
// ARGV: now ms, member (session id), member deadline ms, max per minute, max open, open-set lifetime ms
// Returns 0 admitted, 1 over the rate, 2 too many open. A connection refused for concurrency still counts towards the rate.
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
if tonumber(ARGV[4]) > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 60000)
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[1], 60000)
end
if tonumber(ARGV[5]) > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[6])
end
return 0`;

// Slots outlive the session limit by this much (clock skew between replicas, slow closes)
const SLOT_MARGIN_MS = 60_000;

const refusals: Record<ConnectionRefusal, string> = {
  concurrency: 'Too many connections from your IP address, try again later',
  rate: 'Too many connections per minute from your IP address, try again later',
};

/**
 * The Redis keys of a client (before the client's REDIS_KEY_PREFIX); the
 * hash tag keeps both in one Redis Cluster slot, as the script needs.
 */
export function connectionKeys(ip: string): { recent: string; open: string } {
  const tag = `{${clientKey(ip)}}`;
  return { recent: `smtp:conn:${tag}:recent`, open: `smtp:conn:${tag}:open` };
}

/** {@link ConnectionLimiter} in Redis (one round trip per check). */
export class RedisConnectionLimiter implements ConnectionLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly limits: ConnectionLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(ip: string, sessionId: string): Promise<Admission> {
    const { maxConnectionRate, maxConnectionsPerIp, sessionTimeoutMs } = this.limits;
    if (maxConnectionRate <= 0 && maxConnectionsPerIp <= 0) return { admitted: true };
    const now = this.now();
    const keys = connectionKeys(ip);
    const lifetime = sessionTimeoutMs + SLOT_MARGIN_MS;
    let result: unknown;
    try {
      result = await this.redis.eval(ADMIT_SCRIPT, 2, keys.recent, keys.open, now, sessionId, now + lifetime, maxConnectionRate, maxConnectionsPerIp, lifetime);
    } catch (error) {
      return { admitted: true, unchecked: error as Error };
    }
    if (result === 0) return { admitted: true };
    const reason: ConnectionRefusal = result === 1 ? 'rate' : 'concurrency';
    return { admitted: false, reason, reply: new ClosingReplyError(C421ServiceNotAvailable, EsSecurityOther, refusals[reason]) };
  }

  async release(ip: string, sessionId: string): Promise<void> {
    if (this.limits.maxConnectionsPerIp <= 0) return;
    await this.redis.zrem(connectionKeys(ip).open, sessionId);
  }
}

/** No limits (unit tests). */
export const unlimitedConnections: ConnectionLimiter = {
  admit: async () => ({ admitted: true }),
  release: async () => undefined,
};
