/**
 * Open connections per client network (IPv4 address, IPv6 /64:
 * clientNetwork), shared by every replica of a service through Redis, so
 * one host cannot hold a mailbox-reading service hostage with idle sockets
 * (slowloris) whichever replica the load balancer picks. Checked before the
 * greeting; the protocol's listener says the refusal (POP3 `-ERR
 * [SYS/TEMP]`, IMAP `* BYE [UNAVAILABLE]`) and caps its own process too
 * (`capacity`).
 *
 * Each open connection is one member of a sorted set per network, scored
 * with the time it must be gone by; the session pushes that time forward
 * while it lives, so a replica that crashes without releasing its members
 * stops counting against the client once they expire (a bare INCR/DECR
 * counter would leak). Redis trouble fails open: the connection is
 * admitted and the problem logged. Each protocol counts under its own key
 * prefix (`pop3:`, `imap:`), so the limits of POP3 and IMAP are separate.
 */
import type { Redis } from 'ioredis';

/** Why a connection was refused before its greeting, as the metrics' `reason` label: its network's slots, or the process's cap. */
export const CONNECTION_REFUSAL_REASONS = ['per-ip', 'capacity'] as const;
export type ConnectionRefusal = (typeof CONNECTION_REFUSAL_REASONS)[number];

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

/** The Redis key of a network's open connections (before the client's REDIS_KEY_PREFIX): `<keyPrefix>:conn:open:<network>`. */
export function connectionSlotKey(keyPrefix: string, network: string): string {
  return `${keyPrefix}:conn:open:${network}`;
}

/** Settings of {@link RedisConnectionSlots}. */
export interface RedisConnectionSlotsOptions {
  /** The protocol's key prefix (`pop3`, `imap`). */
  readonly keyPrefix: string;
  /** Open connections one network may hold across the replicas; 0 admits everyone without counting. */
  readonly maxPerNetwork: number;
  readonly log: SlotLog;
  readonly now?: () => number;
}

/** {@link ConnectionSlots} in Redis (keys prefixed by the client's REDIS_KEY_PREFIX). */
export class RedisConnectionSlots implements ConnectionSlots {
  readonly #now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisConnectionSlotsOptions,
  ) {
    this.#now = options.now ?? Date.now;
  }

  async acquire(network: string, sessionId: string): Promise<SlotAdmission> {
    const { maxPerNetwork, log } = this.options;
    if (maxPerNetwork <= 0) return { admitted: true, slot: noSlot };
    const key = connectionSlotKey(this.options.keyPrefix, network);
    try {
      const admitted = await this.redis.eval(ACQUIRE_SCRIPT, 1, key, this.#now(), sessionId, SLOT_LIFETIME_MS, maxPerNetwork);
      if (admitted !== 1) return { admitted: false, reason: 'per-ip' };
    } catch (error) {
      log.warn({ err: error }, 'connection limits unavailable (Redis); admitting without counting');
      return { admitted: true, slot: noSlot };
    }
    const refresh = setInterval(() => {
      this.redis.eval(REFRESH_SCRIPT, 1, key, this.#now(), sessionId, SLOT_LIFETIME_MS).catch((error: unknown) => log.warn({ err: error }, 'could not refresh a connection slot'));
    }, SLOT_LIFETIME_MS / 3);
    refresh.unref();
    return {
      admitted: true,
      slot: {
        release: async () => {
          clearInterval(refresh);
          await this.redis.zrem(key, sessionId).catch((error: unknown) => log.warn({ err: error }, 'could not release a connection slot'));
        },
      },
    };
  }
}

const noSlot: ConnectionSlot = { release: async () => undefined };

/** No per-network limit (unit tests, or a limit of 0). */
export const unlimitedConnectionSlots: ConnectionSlots = {
  acquire: async () => ({ admitted: true, slot: noSlot }),
};
