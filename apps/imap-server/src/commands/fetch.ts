/**
 * FETCH and UID FETCH (RFC 9051 §6.4.5, §6.4.9): the named messages' items,
 * one `* n FETCH` at a time. Metadata comes from messages.fetch in pages
 * (FETCH_META_MAX_MESSAGES, or its header budget: `nextUid`); section
 * octets are streamed from mailbox.fetch in chunks straight to the socket
 * with backpressure, so memory per FETCH is one chunk however large the
 * message — except small messages when the items read them whole: those
 * come in batches, one mailbox.fetch-many each, read ahead while the one
 * before is written (fetch-batches.ts; about 1.5 batches held). Non-PEEK sections set \Seen first (one messages.store) and the
 * new FLAGS go out with the message (RFC 9051 §6.4.5), with UID and MODSEQ
 * once CONDSTORE is on (RFC 7162 §3.1). CHANGEDSINCE leaves out messages
 * not changed since and adds MODSEQ (RFC 7162 §3.1.4.1) — and with a
 * non-PEEK section only the messages it keeps get \Seen, so they are
 * picked (messages.changes) before \Seen is set; UID FETCH with VANISHED
 * first reports the UIDs of the set expunged since (§3.2.6). Flags a
 * response carried are noted in the mailbox (not echoed by the next
 * synchronize: mailbox-sync.ts).
 */
import { encodeFetchResponse, formatVanished, ImapResponseError, resolveSequenceSet, type FetchItem } from '@mail/imap';
import { ConnectionClosedError, ResponseInterruptedError } from '@mail/tcp-session';
import type { CommandContext, CommandHandler, CommandOf } from '../session/command-context';
import { enableCondstore, modseqValue } from '../session/condstore';
import { changedMessages, expungedSince } from '../session/mailbox-sync';
import { uidRanges, type MessageRef } from '../session/selected-mailbox';
import { wireOptions } from '../session/session-state';
import { FetchBatches, readerWith, readsWholeMessages } from './fetch-batches';
import { messageItems, needsStructure, scanStructure, setsSeen, type MessageReader, type StoredRange } from './fetch-message';
import { selectedMailbox, uidSets } from './selected';

export const fetch: CommandHandler<'FETCH'> = async (ctx, command) => {
  const { user, mailbox } = selectedMailbox(ctx);
  // RFC 7162 §3.2.6: the VANISHED modifier only once QRESYNC is enabled
  if (command.vanished && !ctx.session.enabled.has('QRESYNC')) throw new ImapResponseError('BAD', 'VANISHED needs QRESYNC enabled (ENABLE QRESYNC first)', { userFault: true });
  // RFC 7162 §3.1: FETCH of MODSEQ, or with CHANGEDSINCE, is a CONDSTORE enabling command
  if (command.changedSince !== undefined || command.items.some((item) => item.kind === 'MODSEQ')) await enableCondstore(ctx);
  const resolved = mailbox.resolve(command.sequenceSet, command.uid);
  if (command.vanished) await reportVanished(ctx, command);
  const changedSince = command.changedSince === undefined ? undefined : modseqValue(command.changedSince);
  const markSeen = setsSeen(command.items) && !mailbox.readOnly;
  // RFC 7162 §3.1.4.1 with RFC 9051 §6.4.5: \Seen only on the messages CHANGEDSINCE keeps, so those are picked first
  const refs = markSeen && changedSince !== undefined ? await changedAmong(ctx, resolved, changedSince) : resolved;
  if (refs.length === 0) return { text: 'FETCH completed' };
  if (markSeen) {
    for (const uids of uidSets(refs.map((r) => r.uid))) await ctx.store.storeFlags({ user, folder: mailbox.name, uids, action: 'add', flags: ['\\Seen'] });
  }
  const seenWithCondstore = markSeen && wireOptions(ctx.session).condstore;
  const wanted = new Map(refs.map((ref) => [ref.uid, ref]));
  const withHeader = command.items.some((item) => item.kind === 'ENVELOPE') && !needsStructure(command.items);
  const withFlags = markSeen || command.items.some((item) => item.kind === 'FLAGS');
  const options = { withUid: command.uid || seenWithCondstore, withFlags: markSeen, withModseq: changedSince !== undefined || seenWithCondstore, user };
  // Issue 18: small messages read whole in batches (fetch-batches.ts) rather than one request each
  const batched = readsWholeMessages(command.items);
  for (const uids of uidSets(refs.map((r) => r.uid))) {
    let next: number | undefined;
    do {
      const ranges = next === undefined ? uids : uids.filter((r) => r.last >= (next as number)).map((r) => ({ first: Math.max(r.first, next as number), last: r.last }));
      const page = await ctx.store.fetchMeta({ user, folder: mailbox.name, uids: ranges, header: withHeader, ...(changedSince === undefined ? {} : { changedSince }) });
      const metas = page.messages.filter((meta) => wanted.has(meta.uid));
      const batches = batched && metas.length > 1 ? new FetchBatches(ctx.store, user, metas) : undefined;
      for (const meta of metas) {
        const whole = await batches?.take(meta);
        const reader = whole === undefined ? ctx.store : readerWith(ctx.store, meta.key, whole);
        await writeMessage(ctx, reader, command.items, wanted.get(meta.uid) as MessageRef, meta, options);
        if (withFlags) mailbox.noteReported(meta.uid, meta.modseq);
      }
      next = page.nextUid;
    } while (next !== undefined);
  }
  return { text: 'FETCH completed' };
};

/** The messages of `refs` whose modseq is above `since` (RFC 7162 §3.1.4.1), from messages.changes. */
async function changedAmong(ctx: CommandContext, refs: readonly MessageRef[], since: number): Promise<MessageRef[]> {
  const { user, mailbox } = selectedMailbox(ctx);
  const within = uidRanges(refs.map((r) => r.uid)).flatMap((range) => [range.first, range.last]);
  const changed = new Set<number>();
  for await (const message of changedMessages(ctx.store, user, mailbox, since, within)) changed.add(message.uid);
  return refs.filter((ref) => changed.has(ref.uid));
}

/**
 * RFC 7162 §3.2.6: `* VANISHED (EARLIER)` with the UIDs of the set expunged
 * since CHANGEDSINCE, before any FETCH. `*` is the last UID the folder
 * ever gave, so an expunged last message counts.
 */
async function reportVanished(ctx: CommandContext, command: CommandOf<'FETCH'>): Promise<void> {
  const { user, mailbox } = selectedMailbox(ctx);
  const set = resolveSequenceSet(command.sequenceSet, { max: Math.max(mailbox.lastUid, mailbox.uidNext - 1), kind: 'uid', saved: mailbox.saved });
  const vanished = await expungedSince(ctx.store, user, mailbox, modseqValue(command.changedSince ?? 0n), set);
  if (vanished.length > 0) await ctx.channel.write(formatVanished(vanished, true));
}

type Meta = Parameters<typeof messageItems>[2]['meta'];

async function writeMessage(
  ctx: CommandContext,
  reader: MessageReader,
  items: readonly FetchItem[],
  ref: MessageRef,
  meta: Meta,
  options: { withUid: boolean; withFlags: boolean; withModseq: boolean; user: string },
): Promise<void> {
  const structure = needsStructure(items) ? await scanStructure(reader, options.user, meta) : undefined;
  const responseItems = await messageItems(reader, items, { ...options, meta, structure });
  for (const piece of encodeFetchResponse<StoredRange>(ref.seq, responseItems, wireOptions(ctx.session))) {
    if (piece.kind === 'bytes') await ctx.channel.write(piece.data);
    else await streamRange(ctx, reader, options.user, piece.source);
  }
}

/** Copies a stored range to the socket; once its literal size is out, a failure can only close the connection (RFC 9051 §4.3). */
async function streamRange(ctx: CommandContext, reader: MessageReader, user: string, range: StoredRange): Promise<void> {
  let sent = 0;
  try {
    for await (const chunk of reader.readRange(user, range.key, range.start, range.end)) {
      await ctx.channel.write(chunk);
      sent += chunk.length;
    }
  } catch (error) {
    if (error instanceof ConnectionClosedError) throw error;
    throw new ResponseInterruptedError(`FETCH literal cut after ${sent} of ${range.end - range.start} octets`, { cause: error });
  } finally {
    ctx.metrics.fetchOctets(sent);
  }
}
