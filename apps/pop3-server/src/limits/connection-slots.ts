/**
 * Open-connection limits of pop3-server, checked before the greeting:
 *
 * - per client network (IPv4 address, IPv6 /64: clientNetwork of @mail/login-limits),
 *   shared by every replica through Redis (POP3_MAX_CONNECTIONS_PER_IP), so
 *   one host cannot hold the maildrop service hostage with idle sockets
 *   (slowloris) whichever replica the load balancer picks;
 * - per process (POP3_MAX_CONNECTIONS), counted in memory by the listener
 *   (server.ts): the file descriptors and memory of one replica are bounded
 *   whatever the number of client networks.
 *
 * A refusal is `-ERR [SYS/TEMP]` (RFC 3206 §4: a temporary problem, try
 * later) in place of the greeting, then the connection is closed.
 *
 * Each open connection is one member of a sorted set per network, scored
 * with the time it must be gone by; the session pushes that time forward
 * while it lives, so a replica that crashes without releasing its members
 * stops counting against the client once they expire (a bare INCR/DECR
 * counter would leak). Redis trouble fails open: the connection is
 * admitted and the problem logged.
 */
import type { Redis } from 'ioredis';
import { Pop3ResponseCode, Pop3ResponseError } from '@mail/pop3';

/** Why a connection was refused, as the metric's `reason` label. */
export type ConnectionRefusal = 'per-ip' | 'capacity';

/** A connection's slot; release it when the session ends. */
export interface ConnectionSlot {
  release(): Promise<void>;
}

/** The outcome of admitting a connection. */
export type SlotAdmission = { readonly admitted: true; readonly slot: ConnectionSlot } | { readonly admitted: false; readonly reason: ConnectionRefusal };

/** Per-network admission across replicas. */
export interface ConnectionSlots {
  acquire(network: string, sessionId: string): Promise<SlotAdmission>;
}

/** The `-ERR` sent instead of the greeting. */
export function connectionRefusedError(reason: ConnectionRefusal): Pop3ResponseError {
  const text = reason === 'per-ip' ? 'too many connections from your address, try again later' : 'too many open connections on this server, try again later';
  return new Pop3ResponseError(text, { responseCode: Pop3ResponseCode.SysTemp });
}

/** Minimal log the slots report to. */
export interface SlotLog {
  warn(obj: object, msg: string): void;
}

// KEYS[1] open connections of a network (scored by deadline). ARGV: now ms, member, lifetime ms, max open.
// Returns 1 admitted, 0 refused.
const ACQUIRE_SCRIPT = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// Pushes the member's deadline forward while the session lives (XX: never re-adds a released member).
const REFRESH_SCRIPT = `
redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[1]) + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 0`;

/** How long a member lives without a refresh; refreshed at a third of it. */
export const SLOT_LIFETIME_MS = 5 * 60_000;

/** The Redis key of a network's open connections (before REDIS_KEY_PREFIX). */
export function connectionSlotKey(network: string): string {
  return `pop3:conn:open:${network}`;
}

/** {@link ConnectionSlots} in Redis; `maxPerNetwork` 0 admits everyone without counting. */
export class RedisConnectionSlots implements ConnectionSlots {
  constructor(
    private readonly redis: Redis,
    private readonly maxPerNetwork: number,
    private readonly log: SlotLog,
    private readonly now: () => number = Date.now,
  ) {}

  async acquire(network: string, sessionId: string): Promise<SlotAdmission> {
    if (this.maxPerNetwork <= 0) return { admitted: true, slot: noSlot };
    const key = connectionSlotKey(network);
    try {
      const admitted = await this.redis.eval(ACQUIRE_SCRIPT, 1, key, this.now(), sessionId, SLOT_LIFETIME_MS, this.maxPerNetwork);
      if (admitted !== 1) return { admitted: false, reason: 'per-ip' };
    } catch (error) {
      this.log.warn({ err: error }, 'connection limits unavailable (Redis); admitting without counting');
      return { admitted: true, slot: noSlot };
    }
    const refresh = setInterval(() => {
      this.redis.eval(REFRESH_SCRIPT, 1, key, this.now(), sessionId, SLOT_LIFETIME_MS).catch((error: unknown) => this.log.warn({ err: error }, 'could not refresh a connection slot'));
    }, SLOT_LIFETIME_MS / 3);
    refresh.unref();
    return {
      admitted: true,
      slot: {
        release: async () => {
          clearInterval(refresh);
          await this.redis.zrem(key, sessionId).catch((error: unknown) => this.log.warn({ err: error }, 'could not release a connection slot'));
        },
      },
    };
  }
}

const noSlot: ConnectionSlot = { release: async () => undefined };

/** No per-network limit (unit tests, or POP3_MAX_CONNECTIONS_PER_IP=0). */
export const unlimitedConnectionSlots: ConnectionSlots = {
  acquire: async () => ({ admitted: true, slot: noSlot }),
};
