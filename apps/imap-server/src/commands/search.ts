/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4): the criteria go to mailbox-store
 * as one query (search-query.ts); the matching UIDs come back as ranges and
 * are answered as sequence numbers or UIDs — `* SEARCH` to IMAP4rev1
 * clients, `* ESEARCH` (RFC 4731) with RETURN or to IMAP4rev2 clients
 * (RFC 9051 §7.3.4), `$` saved with RETURN (SAVE) (RFC 5182).
 */
import { SEARCH_CHARSETS, formatEsearch, formatSearch, ImapResponseError, normalizeNumbers } from '@mail/imap';
import type { CommandHandler } from '../session/command-context';
import { storeQuery } from './search-query';
import { selectedMailbox } from './selected';

export const search: CommandHandler<'SEARCH'> = async (ctx, command) => {
  const { user, mailbox } = selectedMailbox(ctx);
  if (command.charset !== undefined && !SEARCH_CHARSETS.includes(command.charset.toUpperCase() as (typeof SEARCH_CHARSETS)[number])) {
    throw new ImapResponseError('NO', 'Unsupported charset', { code: { kind: 'BADCHARSET', charsets: [...SEARCH_CHARSETS] }, userFault: true });
  }
  const reply = await ctx.store.searchMessages({ user, folder: mailbox.name, query: storeQuery(command.criteria, mailbox, Date.now()) });
  // Only messages the client knows of: a UID delivered since the last update has no sequence number yet
  const uids = mailbox.knownWithin(reply.uids);
  const numbers = command.uid ? uids : uids.map((uid) => mailbox.seqOf(uid) as number);
  const options = command.returnOptions;
  if (options?.includes('SAVE') === true) mailbox.saved = normalizeNumbers(uids);
  if (options === undefined && !ctx.session.enabled.has('IMAP4REV2')) {
    await ctx.channel.write(formatSearch(numbers));
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
      }),
    );
  }
  return { text: 'SEARCH completed' };
};
