/**
 * Queue ids: the name of an accepted message in every log line, event and
 * the object store. 120 random bits in RFC 4648 §6 base32 (24 characters,
 * upper-case letters and 2-7): URL-safe, case-insensitive-safe, and within
 * the QueueId contract (8-64 URL-safe characters).
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** A fresh queue id, e.g. `K7QX2M4W3JZ5N6PA8R2T4VYB` (24 characters). */
export function newQueueId(): string {
  return base32(randomBytes(15));
}
