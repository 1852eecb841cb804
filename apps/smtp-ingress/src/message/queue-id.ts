/**
 * Queue ids: the name of an accepted message in every log line, event and
 * the object store. 120 random bits in RFC 4648 §6 base32 (24 characters,
 * upper-case letters and 2-7): URL-safe, case-insensitive-safe, and within
 * the QueueId contract (8-64 URL-safe characters).
 */
import { randomFillSync } from 'node:crypto';

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

/** Octets of one queue id: 120 bits. */
const ID_OCTETS = 15;
/**
 * Random octets for the next ids, filled from the CSPRNG 256 ids at a time:
 * a call into OpenSSL per message cost more than the rest of naming it.
 * Each octet is handed out once.
 */
const pool = Buffer.alloc(ID_OCTETS * 256);
let poolOffset = pool.length;

/** A fresh queue id, e.g. `K7QX2M4W3JZ5N6PA8R2T4VYB` (24 characters). */
export function newQueueId(): string {
  if (poolOffset + ID_OCTETS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const id = base32(pool.subarray(poolOffset, poolOffset + ID_OCTETS));
  poolOffset += ID_OCTETS;
  return id;
}
