/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4): the criteria go to mailbox-store
 * as one query (search-query.ts); the matching UIDs come back as ranges and
 * are answered as sequence numbers or UIDs — `* SEARCH` to IMAP4rev1
 * clients, `* ESEARCH` (RFC 4731) with RETURN or to IMAP4rev2 clients
 * (RFC 9051 §7.3.4), `$` saved with RETURN (SAVE) (RFC 5182). A search with
 * MODSEQ turns CONDSTORE on (RFC 7162 §3.1) and its answer carries the
 * highest modseq of the matches (RFC 7162 §3.1.6 `(MODSEQ n)`, §3.1.10
 * ESEARCH `MODSEQ n`).
 */
import type { SearchKey as StoreKey } from '@mail/contracts';
import { SEARCH_CHARSETS, formatEsearch, formatSearch, ImapResponseError, normalizeNumbers, type SearchKey } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { enableCondstore } from '../session/condstore';
import type { SelectedMailbox } from '../session/selected-mailbox';
import { storeQuery } from './search-query';
import { selectedMailbox } from './selected';

/** Whether a search key uses MODSEQ anywhere (RFC 7162 §3.1.5). */
export function searchesModseq(key: SearchKey): boolean {
  switch (key.kind) {
    case 'modseq':
      return true;
    case 'and':
      return key.keys.some(searchesModseq);
    case 'or':
      return searchesModseq(key.left) || searchesModseq(key.right);
    case 'not':
      return searchesModseq(key.key);
    default:
      return false;
  }
}

/**
 * The query limited to the UIDs the client knows (up to its last one), so
 * the store's highest modseq is that of the matches reported, not of a
 * message delivered since that the answer leaves out.
 */
export function withinKnown(query: StoreKey, mailbox: SelectedMailbox): StoreKey {
  if (mailbox.lastUid === 0) return { not: { all: true } };
  const known: StoreKey = { uids: [{ first: 1, last: mailbox.lastUid }] };
  // the contract's AND takes up to 100 keys; joining it keeps the nesting depth
  if ('and' in query && query.and.length < 100) return { and: [...query.and, known] };
  return { and: [query, known] };
}

export const search: CommandHandler<'SEARCH'> = async (ctx, command) => {
  const { user, mailbox } = selectedMailbox(ctx);
  if (command.charset !== undefined && !SEARCH_CHARSETS.includes(command.charset.toUpperCase() as (typeof SEARCH_CHARSETS)[number])) {
    throw new ImapResponseError('NO', 'Unsupported charset', { code: { kind: 'BADCHARSET', charsets: [...SEARCH_CHARSETS] }, userFault: true });
  }
  const modseq = searchesModseq(command.criteria);
  if (modseq) await enableCondstore(ctx);
  const query = storeQuery(command.criteria, mailbox, Date.now());
  const reply = await ctx.store.searchMessages({ user, folder: mailbox.name, query: modseq ? withinKnown(query, mailbox) : query });
  // RFC 7162 §3.1.6, §3.1.10: the highest modseq of what was found, when MODSEQ was searched and something was
  const highestModseq = modseq && reply.highestModseq > 0 ? BigInt(reply.highestModseq) : undefined;
  // Only messages the client knows of: a UID delivered since the last update has no sequence number yet
  const uids = mailbox.knownWithin(reply.uids);
  const numbers = command.uid ? uids : uids.map((uid) => mailbox.seqOf(uid) as number);
  const options = command.returnOptions;
  if (options?.includes('SAVE') === true) mailbox.saved = normalizeNumbers(uids);
  if (options === undefined && !ctx.session.enabled.has('IMAP4REV2')) {
    await ctx.channel.write(formatSearch(numbers, highestModseq));
    return { text: 'SEARCH completed' };
  }
  // RFC 4731 §3.1: RETURN () means ALL
  const wanted = options === undefined || options.length === 0 ? ['ALL'] : options;
  const set = normalizeNumbers(numbers);
  // RFC 5182 §2.1: SAVE alone returns nothing but the tagged OK
  if (!(wanted.length === 1 && wanted[0] === 'SAVE')) {
    await ctx.channel.write(
      formatEsearch({
        tag: command.tag,
        uid: command.uid,
        ...(wanted.includes('MIN') && numbers.length > 0 ? { min: numbers[0] as number } : {}),
        ...(wanted.includes('MAX') && numbers.length > 0 ? { max: numbers[numbers.length - 1] as number } : {}),
        ...(wanted.includes('ALL') ? { all: set } : {}),
        ...(wanted.includes('COUNT') ? { count: numbers.length } : {}),
        ...(highestModseq === undefined || numbers.length === 0 ? {} : { modseq: highestModseq }),
      }),
    );
  }
  return { text: 'SEARCH completed' };
};
