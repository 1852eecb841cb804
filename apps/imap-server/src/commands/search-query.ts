/**
 * The SEARCH tree of @mail/imap turned into the structured query of the
 * messages.search contract (RFC 9051 §6.4.4), answered in SQL by
 * mailbox-store: sequence numbers become the UIDs the session knows them by
 * (the store has no sequence numbers), `$` the saved result (RFC 5182),
 * OLDER/YOUNGER (RFC 5032) an internal-date bound. \Recent never matches
 * (RFC 9051 Appendix E: gone), so RECENT is "nothing" and OLD "everything".
 */
import type { SearchKey as StoreKey } from '@mail/contracts';
import { ImapResponseError, type SearchKey } from '@mail/imap';
import { uidRanges, type SelectedMailbox } from '../session/selected-mailbox';

const NOTHING: StoreKey = { not: { all: true } };

/** The store's query for a search key in the selected mailbox. */
export function storeQuery(key: SearchKey, mailbox: SelectedMailbox, nowMs: number): StoreKey {
  switch (key.kind) {
    case 'all':
      return { all: true };
    case 'and':
      return key.keys.length === 0 ? { all: true } : { and: key.keys.map((k) => storeQuery(k, mailbox, nowMs)) };
    case 'or':
      return { or: [storeQuery(key.left, mailbox, nowMs), storeQuery(key.right, mailbox, nowMs)] };
    case 'not':
      return { not: storeQuery(key.key, mailbox, nowMs) };
    case 'flag':
      if (key.flag.toLowerCase() === '\\recent') return key.present ? NOTHING : { all: true };
      return { flag: key.flag, set: key.present };
    case 'sequence-numbers':
    case 'uids':
      return uidKey(mailbox.resolve(key.set, key.kind === 'uids').map((ref) => ref.uid));
    case 'date':
      return { date: key.field, op: key.comparison, day: `${key.date.year.toString().padStart(4, '0')}-${pad(key.date.month)}-${pad(key.date.day)}` };
    case 'size':
      return { size: key.comparison, octets: key.octets };
    case 'header':
      return { header: key.field, contains: key.value };
    case 'text':
      return { text: key.where, contains: key.value };
    case 'modseq':
      return { modseqAtLeast: Number(key.modseq) };
    case 'age':
      throw new ImapResponseError('NO', 'OLDER and YOUNGER are not supported', { code: 'CANNOT', userFault: true });
  }
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
