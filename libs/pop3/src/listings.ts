// The fixed-format listings of RFC 1939: the drop listing of STAT, the scan
// listing of LIST and the unique-id listing of UIDL. Clients parse these, so
// their shape is strict; the builders reject values that would break it.

import { ok } from './response';

/** RFC 1939 §7: a unique-id is 1 to 70 characters in the range 0x21-0x7E. */
export const MAX_POP3_UNIQUE_ID_LENGTH = 70;

const UNIQUE_ID = /^[\x21-\x7e]{1,70}$/;

/**
 * The STAT reply: `+OK count octets\r\n`.
 *
 * RFC 1939 §5: a drop listing is "+OK", a space, the number of messages, a
 * space and the size of the maildrop in octets; messages marked as deleted
 * are not counted.
 *
 * @throws RangeError if a number is not a non-negative safe integer.
 */
export function formatDropListing(messageCount: number, totalOctets: number): string {
  return ok(`${decimal(messageCount, 'message count')} ${decimal(totalOctets, 'maildrop size')}`);
}

/**
 * One scan listing, `msg octets`, without CRLF: the text of `+OK` for
 * `LIST msg`, or one line of the multi-line LIST reply (pass the lines to
 * formatListing).
 *
 * RFC 1939 §5: a scan listing is the message number, a single space and the
 * exact size of the message in octets, both in base 10.
 *
 * @throws RangeError if msg is not a positive integer or octets is negative.
 */
export function formatScanListing(msg: number, octets: number): string {
  return `${messageNumber(msg)} ${decimal(octets, 'message size')}`;
}

/**
 * One unique-id listing, `msg unique-id`, without CRLF: the text of `+OK`
 * for `UIDL msg`, or one line of the multi-line UIDL reply.
 *
 * RFC 1939 §7: the unique-id is 1 to 70 characters in 0x21-0x7E and must not
 * change between sessions.
 *
 * @throws RangeError if msg is not a positive integer or the id is malformed.
 */
export function formatUniqueIdListing(msg: number, uniqueId: string): string {
  if (!UNIQUE_ID.test(uniqueId)) {
    throw new RangeError(`unique-id must be 1-${MAX_POP3_UNIQUE_ID_LENGTH} characters in 0x21-0x7E`);
  }
  return `${messageNumber(msg)} ${uniqueId}`;
}

// RFC 1939 §3: message numbers start at 1.
function messageNumber(msg: number): string {
  if (!Number.isSafeInteger(msg) || msg < 1) throw new RangeError('message number must be a positive integer');
  return String(msg);
}

// RFC 1939 §5: message numbers and sizes are expressed in base 10.
function decimal(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer`);
  return String(value);
}
