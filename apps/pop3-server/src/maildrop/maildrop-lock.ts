/**
 * The maildrop lock (RFC 1939 §8: the server acquires an exclusive-access
 * lock on the maildrop at login), held in Redis so every pop3-server replica
 * sees it: `SET <prefix>pop3:lock:<user> <session-id> NX PX <ttl>`, refreshed
 * while the session lives and released with a compare-and-delete, so a
 * session never frees a lock that expired and was taken by another.
 */
import type { Redis } from 'ioredis';
import { Pop3ResponseCode, Pop3ResponseError } from '@mail/pop3';

/** An exclusive claim on one user's maildrop. */
export interface MaildropLock {
  /** True once the lock was found taken by someone else or expired: deletions must not be committed. */
  readonly lost: boolean;
  /** Stops refreshing and deletes the lock if it is still ours. Never throws. */
  release(): Promise<void>;
}

/** Takes maildrop locks. */
export interface MaildropLocks {
  /**
   * Takes the lock for `user` on behalf of session `owner`; undefined when
   * another session holds it.
   *
   * @throws Pop3ResponseError [SYS/TEMP] when the lock store cannot be reached.
   */
  acquire(user: string, owner: string): Promise<MaildropLock | undefined>;
}

/** Minimal log the lock reports to. */
export interface LockLog {
  warn(obj: object, msg: string): void;
}

// Extend the lock only while it is still ours.
const REFRESH_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
// Delete the lock only while it is still ours.
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * {@link MaildropLocks} in Redis. The client's `keyPrefix` (REDIS_KEY_PREFIX)
 * is prepended to the key by ioredis, for plain commands and script keys alike.
 */
export class RedisMaildropLocks implements MaildropLocks {
  constructor(
    private readonly redis: Redis,
    private readonly options: { ttlMs: number; log: LockLog },
  ) {}

  async acquire(user: string, owner: string): Promise<MaildropLock | undefined> {
    const key = maildropLockKey(user);
    let result: string | null;
    try {
      result = await this.redis.set(key, owner, 'PX', this.options.ttlMs, 'NX');
    } catch (cause) {
      throw new Pop3ResponseError('cannot lock the maildrop right now, try again later', { responseCode: Pop3ResponseCode.SysTemp, cause });
    }
    if (result !== 'OK') return undefined;
    return new RedisMaildropLock(this.redis, key, owner, this.options.ttlMs, this.options.log);
  }
}

/** The Redis key of a user's lock, before the client's key prefix. */
export function maildropLockKey(user: string): string {
  return `pop3:lock:${user.toLowerCase()}`;
}

class RedisMaildropLock implements MaildropLock {
  #lost = false;
  #released = false;
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly owner: string,
    private readonly ttlMs: number,
    private readonly log: LockLog,
  ) {
    // Refresh at a third of the lifetime: two refreshes may fail before the lock expires.
    this.#timer = setInterval(() => void this.#refresh(), Math.max(1, Math.floor(ttlMs / 3)));
    this.#timer.unref();
  }

  get lost(): boolean {
    return this.#lost;
  }

  async #refresh(): Promise<void> {
    if (this.#released || this.#lost) return;
    try {
      const extended = await this.redis.eval(REFRESH_SCRIPT, 1, this.key, this.owner, String(this.ttlMs));
      if (extended !== 1 && !this.#released) {
        this.#lost = true;
        clearInterval(this.#timer);
        this.log.warn({ key: this.key }, 'maildrop lock lost; deletions of this session will not be committed');
      }
    } catch (error) {
      // Transient: the next refresh tries again while the TTL still runs.
      this.log.warn({ err: error, key: this.key }, 'could not refresh the maildrop lock');
    }
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    if (this.#lost) return;
    try {
      await this.redis.eval(RELEASE_SCRIPT, 1, this.key, this.owner);
    } catch (error) {
      // The TTL frees it eventually.
      this.log.warn({ err: error, key: this.key }, 'could not release the maildrop lock; it expires on its own');
    }
  }
}
