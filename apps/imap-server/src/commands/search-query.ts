/**
 * The SEARCH tree of @mail/imap turned into the structured query of the
 * messages.search contract (RFC 9051 §6.4.4), answered in SQL by
 * mailbox-store: sequence numbers become the UIDs the session knows them by
 * (the store has no sequence numbers), `$` the saved result (RFC 5182),
 * OLDER/YOUNGER (RFC 5032) an internal-date bound. \Recent never matches
 * (RFC 9051 Appendix E: gone), so RECENT is "nothing" and OLD "everything".
 * The query always fits the contract, whatever the client sent: a flag,
 * header name or mod-sequence no message can have matches nothing, an AND
 * of more keys than the contract takes is nested, and text longer than it
 * takes is refused `NO [LIMIT]` (RFC 5530 §3: an implementation limit) —
 * never a request mailbox-store would refuse as malformed.
 */
import { Flag, type SearchKey as StoreKey } from '@mail/contracts';
import { ImapResponseError, type SearchKey } from '@mail/imap';
import { uidRanges, type SelectedMailbox } from '../session/selected-mailbox';

const NOTHING: StoreKey = { not: { all: true } };
const EVERYTHING: StoreKey = { all: true };
/** The contract's bounds: characters of searched text, keys of one AND. */
const NEEDLE_MAX = 1000;
const AND_MAX = 100;
/** RFC 5322 §3.6.8: a field name is printable US-ASCII but ":" (at most 100 characters in the contract). */
const FIELD_NAME = /^[!-9;-~]{1,100}$/;

/** The store's query for a search key in the selected mailbox. */
export function storeQuery(key: SearchKey, mailbox: SelectedMailbox, nowMs: number): StoreKey {
  switch (key.kind) {
    case 'all':
      return { all: true };
    case 'and':
      return key.keys.length === 0 ? EVERYTHING : conjunction(key.keys.map((k) => storeQuery(k, mailbox, nowMs)));
    case 'or':
      return { or: [storeQuery(key.left, mailbox, nowMs), storeQuery(key.right, mailbox, nowMs)] };
    case 'not':
      return { not: storeQuery(key.key, mailbox, nowMs) };
    case 'flag':
      // RFC 9051 §2.3.2: no message has \Recent any more, nor a flag the store could not keep
      if (key.flag.toLowerCase() === '\\recent' || !Flag.safeParse(key.flag).success) return key.present ? NOTHING : EVERYTHING;
      return { flag: key.flag, set: key.present };
    case 'sequence-numbers':
    case 'uids':
      return uidKey(mailbox.resolve(key.set, key.kind === 'uids').map((ref) => ref.uid));
    case 'date':
      return { date: key.field, op: key.comparison, day: `${key.date.year.toString().padStart(4, '0')}-${pad(key.date.month)}-${pad(key.date.day)}` };
    case 'size':
      // No message is that large (the contract's sizes are safe integers)
      if (!Number.isSafeInteger(key.octets)) return key.comparison === 'larger' ? NOTHING : EVERYTHING;
      return { size: key.comparison, octets: key.octets };
    case 'header':
      return FIELD_NAME.test(key.field) ? { header: key.field, contains: needle(key.value) } : NOTHING;
    case 'text':
      return { text: key.where, contains: needle(key.value) };
    case 'modseq':
      return key.modseq > BigInt(Number.MAX_SAFE_INTEGER) ? NOTHING : { modseqAtLeast: Number(key.modseq) };
    case 'age':
      throw new ImapResponseError('NO', 'OLDER and YOUNGER are not supported', { code: 'CANNOT', userFault: true });
  }
}

/** Text to search for, within the contract's length. */
function needle(value: string): string {
  if (value.length <= NEEDLE_MAX) return value;
  throw new ImapResponseError('NO', `Search text longer than ${NEEDLE_MAX} characters`, { code: 'LIMIT', userFault: true });
}

/** An AND of any number of keys as the contract takes it: groups of at most AND_MAX, nested (a few levels for thousands of keys). */
function conjunction(keys: StoreKey[]): StoreKey {
  if (keys.length <= AND_MAX) return { and: keys };
  const groups: StoreKey[] = [];
  for (let i = 0; i < keys.length; i += AND_MAX) groups.push({ and: keys.slice(i, i + AND_MAX) });
  return conjunction(groups);
}

function uidKey(uids: readonly number[]): StoreKey {
  if (uids.length === 0) return NOTHING;
  const ranges = uidRanges(uids);
  // The contract takes at most 1000 ranges per set: OR the sets together
  const sets: StoreKey[] = [];
  for (let i = 0; i < ranges.length; i += 1000) sets.push({ uids: ranges.slice(i, i + 1000) });
  return sets.reduce((left, right) => ({ or: [left, right] }));
}

const pad = (n: number): string => String(n).padStart(2, '0');
