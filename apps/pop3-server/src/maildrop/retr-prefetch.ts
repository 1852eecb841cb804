/**
 * RETR prefetch: one mailbox-store round trip per RETR capped a session at a
 * few hundred messages a second. When RETR asks for a small message that the
 * session has not prefetched, one `mailbox.fetch-many` request brings it
 * whole together with the next small messages of the maildrop, and those
 * wait in the session's PrefetchedMessages for their RETR. While they are
 * handed out, the next batch is read ahead in the background once less than
 * half a batch is left, so a client that RETRs in order seldom waits for
 * mailbox-store. Large messages are not prefetched: they keep streaming
 * chunk by chunk (message-stream.ts).
 */
import { FETCH_MESSAGES_MAX_OCTETS, FETCH_MESSAGES_MAX_UIDS } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { MailboxStoreClient } from './mailbox-store-client';
import type { Maildrop, MaildropMessage } from './maildrop';
import type { PrefetchedMessages } from './prefetched-messages';

/** Messages up to this size are fetched whole and ahead; larger ones stream. */
export const PREFETCH_MESSAGE_MAX_OCTETS = 64 * 1024;
/** Stored octets one prefetch asks for at most; the cache holds at most one and a half batches. */
export const PREFETCH_BATCH_OCTETS = FETCH_MESSAGES_MAX_OCTETS;
/** Messages past the asked one that a prefetch looks at, so a maildrop of large messages is not scanned to its end. */
const PREFETCH_LOOKAHEAD = 2 * FETCH_MESSAGES_MAX_UIDS;

/** What a prefetch needs from the session. */
export interface PrefetchContext {
  readonly mailbox: MailboxStoreClient;
  readonly log: Logger;
  readonly user: string;
  readonly maildrop: Maildrop;
  readonly prefetched: PrefetchedMessages;
}

/**
 * The whole stored message for RETR when the session holds it already (no
 * read-ahead has to be waited for): taken from the cache, and the next batch
 * read ahead if it is time; undefined otherwise. Synchronous: the common case
 * of a client RETRing in order costs no request and no wait.
 */
export function takePrefetched(ctx: PrefetchContext, message: MaildropMessage): Buffer | undefined {
  if (message.size > PREFETCH_MESSAGE_MAX_OCTETS) return undefined;
  const held = ctx.prefetched.take(message.uid);
  if (held !== undefined) readAhead(ctx, message);
  return held;
}

/**
 * The whole stored message for RETR, from the cache or from a prefetch that
 * also brings the next small messages; undefined when it is too large to
 * prefetch or the prefetch failed: the caller then streams it as before,
 * and that stream reports any failure (`-ERR [SYS/TEMP]` before `+OK`).
 */
export async function prefetchedMessage(ctx: PrefetchContext, message: MaildropMessage): Promise<Buffer | undefined> {
  if (message.size > PREFETCH_MESSAGE_MAX_OCTETS) return undefined;
  const { prefetched } = ctx;
  // The client may be faster than the read-ahead: wait for it rather than ask twice.
  if (!prefetched.has(message.uid) && prefetched.readAhead !== undefined) await prefetched.readAhead;
  let wanted = prefetched.take(message.uid);
  if (wanted === undefined) {
    const batch = messagesToPrefetch(ctx.maildrop, message);
    const fetched = await fetchBatch(ctx, batch);
    if (fetched === undefined) return undefined;
    wanted = fetched.get(message.uid);
    fetched.delete(message.uid);
    prefetched.clear();
    prefetched.add(fetched);
    prefetched.lastRequested = batch.at(-1)?.number ?? message.number;
  }
  readAhead(ctx, message);
  return wanted;
}

/** Starts fetching the next batch in the background when less than half a batch is held and none is in flight. */
function readAhead(ctx: PrefetchContext, served: MaildropMessage): void {
  const { prefetched, maildrop } = ctx;
  if (prefetched.readAhead !== undefined || prefetched.octets >= PREFETCH_BATCH_OCTETS / 2) return;
  const start = Math.max(prefetched.lastRequested, served.number);
  const next = maildrop.visibleAfter(start).next();
  if (next.done === true) return;
  const batch = messagesToPrefetch(maildrop, next.value).filter((m) => m.size <= PREFETCH_MESSAGE_MAX_OCTETS);
  if (batch.length === 0) return;
  prefetched.lastRequested = batch.at(-1)?.number ?? start;
  prefetched.readAhead = fetchBatch(ctx, batch).then((fetched) => {
    prefetched.readAhead = undefined;
    if (fetched !== undefined) prefetched.add(fetched);
  });
}

/**
 * One `mailbox.fetch-many` request for these messages; undefined when it
 * fails (logged at debug: the streaming path reports failures to the client).
 */
async function fetchBatch(ctx: PrefetchContext, batch: readonly MaildropMessage[]): Promise<Map<string, Buffer> | undefined> {
  let fetched: Map<string, Buffer>;
  try {
    fetched = await ctx.mailbox.readMessages(
      ctx.user,
      batch.map((m) => m.uid),
      PREFETCH_BATCH_OCTETS,
    );
  } catch (error) {
    ctx.log.debug({ err: error, uids: batch.length }, 'prefetch failed; RETR streams instead');
    return undefined;
  }
  // RFC 1939 §5: RETR sends exactly the size LIST reported; a copy of any
  // other size is left to the streaming path, which logs the difference.
  for (const candidate of batch) {
    const data = fetched.get(candidate.uid);
    if (data !== undefined && data.length !== candidate.size) fetched.delete(candidate.uid);
  }
  return fetched;
}

/**
 * The asked message, then the next messages not marked as deleted that are
 * small enough, while their sizes add up to at most the batch size.
 */
export function messagesToPrefetch(maildrop: Maildrop, message: MaildropMessage): MaildropMessage[] {
  const batch = [message];
  let octets = message.size;
  const last = message.number + PREFETCH_LOOKAHEAD;
  for (const next of maildrop.visibleAfter(message.number)) {
    if (next.number > last || batch.length >= FETCH_MESSAGES_MAX_UIDS) break;
    if (next.size > PREFETCH_MESSAGE_MAX_OCTETS) continue;
    if (octets + next.size > PREFETCH_BATCH_OCTETS) break;
    batch.push(next);
    octets += next.size;
  }
  return batch;
}
