/**
 * Recently verified credentials, so that a login repeated soon after a
 * successful one skips scrypt (about 50 ms of CPU each: 10,000 IMAP clients
 * reconnecting after a rolling restart would otherwise cost minutes of
 * CPU). The idea of Dovecot's `auth_cache_ttl`, limited to successes.
 *
 * - Only successes are kept: a wrong password always pays the full scrypt
 *   cost, so guessing is not made cheaper, and a fast answer only tells a
 *   client what it already knew (that its password is right).
 * - The key binds the stored hash, not only the user: a password change
 *   (a new salted hash) makes every earlier entry of that user miss at
 *   once, and a removed user has no stored hash to match.
 * - No password is kept: an entry is an HMAC-SHA-256 of the stored hash and
 *   the password under a random key of this process, gone on restart.
 * - Bounded in entries (least recently used out first) and in age.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface VerifiedCredentialsLimits {
  /** Longest an entry answers after the scrypt verification that made it; 0 keeps nothing. */
  readonly ttlMs: number;
  /** Entries kept at most (about 150 octets each); 0 keeps nothing. */
  readonly maxEntries: number;
}

export class VerifiedCredentials {
  private readonly key = randomBytes(32);
  /** Entry → when it stops answering; Map order is the order of last use. */
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly limits: VerifiedCredentialsLimits,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.expiries.size;
  }

  /** True when this password matched this stored hash within the TTL. */
  has(storedHash: string, password: string): boolean {
    if (!this.enabled()) return false;
    const entry = this.entry(storedHash, password);
    const expiry = this.expiries.get(entry);
    if (expiry === undefined) return false;
    this.expiries.delete(entry);
    if (expiry <= this.now()) return false;
    this.expiries.set(entry, expiry);
    return true;
  }

  /** Remember that this password matched this stored hash (after a scrypt verification). */
  add(storedHash: string, password: string): void {
    if (!this.enabled()) return;
    const entry = this.entry(storedHash, password);
    this.expiries.delete(entry);
    this.expiries.set(entry, this.now() + this.limits.ttlMs);
    while (this.expiries.size > this.limits.maxEntries) {
      const oldest = this.expiries.keys().next();
      if (oldest.done === true) break;
      this.expiries.delete(oldest.value);
    }
  }

  private enabled(): boolean {
    return this.limits.ttlMs > 0 && this.limits.maxEntries > 0;
  }

  private entry(storedHash: string, password: string): string {
    // Length-prefixed so that no two (hash, password) pairs give the same input
    return createHmac('sha256', this.key).update(`${storedHash.length}:${storedHash}`).update(password, 'utf8').digest('base64');
  }
}
