/**
 * Reading a folder into a SelectedMailbox and keeping it current:
 *
 * - open: messages.select page by page (SELECT_PAGE_MAX UIDs each); when it
 *   took several pages, messages.changes since the first page's modseq
 *   catches what changed meanwhile (the contract's advice).
 * - synchronize: messages.changes since the modseq the session has taken
 *   in, turned into untagged responses (RFC 9051 §7.4.1 EXISTS, §7.5.1
 *   EXPUNGE or RFC 7162 §3.2.10 VANISHED, §7.5.2 FETCH FLAGS with RFC 7162
 *   MODSEQ), applied to the mailbox in the same step, so what the client
 *   was told and what the session holds never differ. A flag state the
 *   session itself already reported (its STORE's answer, a FETCH with
 *   FLAGS: SelectedMailbox.noteReported) is not reported twice; any later
 *   change, by anyone, is (RFC 9051 §7.5.2, RFC 7162 §3.1).
 * - QRESYNC (RFC 7162 §3.2.5, §3.2.6): what changed since a modseq the
 *   client names, as VANISHED (EARLIER) and FETCH, without touching what
 *   the session holds.
 * - A selected mailbox that another session, replica or mailctl deleted or
 *   renamed (messages.changes answers that it does not exist) ends the
 *   session with an untagged BYE (RFC 2180 §3.3), as Dovecot does: at
 *   once in IDLE (the folder's change notice wakes it), at the next NOOP
 *   or any command refused NO [NONEXISTENT] otherwise (selectedMailboxRefusal).
 */
import { SELECT_PAGE_MAX, UID_SET_MAX_RANGES, type MessageFlags, type UidRange } from '@mail/contracts';
import { formatExists, formatExpunge, formatVanished, ImapResponseError, normalizeIntervals, normalizeNumbers, WireWriter, type NormalizedSet } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import type { FolderChangesSource } from './mailbox-change-feed';
import { SelectedMailbox, type MailboxHeader } from './selected-mailbox';
import type { ProtocolState, SessionWireOptions } from './session-state';

type ChangesAsk = Parameters<FolderChangesSource['folderChanges']>[0];
type ChangesReply = Awaited<ReturnType<FolderChangesSource['folderChanges']>>;

/**
 * RFC 2180 §3.3: the server may let DELETE and RENAME of a mailbox other
 * sessions have selected go through and end those sessions with an
 * untagged BYE. Of §3's choices it is the one clients handle best: a
 * session left on a folder that no longer exists could only answer NO to
 * every command after (RFC 9051 has no way to deselect a session on its
 * own), while a BYE makes the client reconnect, list the folders again and
 * select one, as it does after a Dovecot session's "Mailbox was deleted".
 * `refusal` is the store's NO [NONEXISTENT] that revealed it.
 */
export class SelectedMailboxGoneError extends ImapResponseError {
  constructor(readonly refusal: ImapResponseError) {
    super('BYE', 'The selected mailbox was deleted or renamed; select a mailbox again', { userFault: false });
  }
}

/** What SELECT reports besides the mailbox itself. */
export interface OpenedMailbox {
  readonly mailbox: SelectedMailbox;
  readonly specialUse: string | null;
  readonly unseen: number;
  readonly firstUnseenUid: number | null;
}

/** Reads the folder's state and every UID. @throws ImapResponseError (NONEXISTENT, UNAVAILABLE). */
export async function openMailbox(store: MailboxStoreClient, user: string, header: Omit<MailboxHeader, 'uidValidity'>): Promise<OpenedMailbox> {
  const first = await store.selectFolder({ user, folder: header.name, afterUid: 0, limit: SELECT_PAGE_MAX });
  const uids = first.messages.map((m) => m.uid);
  let page = first;
  while (page.more) {
    page = await store.selectFolder({ user, folder: header.name, afterUid: uids[uids.length - 1] ?? 0, limit: SELECT_PAGE_MAX });
    if (page.uidValidity !== first.uidValidity) throw new ImapResponseError('NO', 'The mailbox changed while it was opened, try again', { code: 'UNAVAILABLE', userFault: false });
    uids.push(...page.messages.map((m) => m.uid));
  }
  const mailbox = new SelectedMailbox({ ...header, uidValidity: first.uidValidity }, uids, first.uidNext, first.highestModseq);
  // Pages read in separate snapshots: take in what changed since the first (expunged UIDs drop out; new ones are appended)
  if (page !== first)
    await synchronize(store, user, mailbox, { utf8: false, condstore: false, qresync: false }).catch((error: unknown) => {
      // RFC 9051 §6.3.2: a SELECT of a folder gone meanwhile fails as one of a folder that never was; nothing was selected
      throw error instanceof SelectedMailboxGoneError ? error.refusal : error;
    });
  return { mailbox, specialUse: first.specialUse, unseen: first.unseen, firstUnseenUid: first.firstUnseenUid };
}

/**
 * Takes in the changes since `mailbox.highestModseq` and returns the
 * untagged responses announcing them, in the order they must be sent.
 * `store` may be the change feed's shared requests (a session a notice
 * woke: mailbox-change-feed.ts sharedChanges).
 *
 * @throws ImapResponseError BYE when the folder was recreated (UIDVALIDITY changed: RFC 9051 §2.3.1.1);
 *   SelectedMailboxGoneError (BYE) when it was deleted or renamed (RFC 2180 §3.3).
 */
export async function synchronize(store: FolderChangesSource, user: string, mailbox: SelectedMailbox, format: SessionWireOptions): Promise<Buffer[]> {
  const changed: MessageFlags[] = [];
  const vanished: number[] = [];
  let afterUid = 0;
  let highestModseq = mailbox.highestModseq;
  for (;;) {
    const page = await selectedFolderChanges(store, { user, folder: mailbox.name, since: mailbox.highestModseq, afterUid, limit: SELECT_PAGE_MAX }, mailbox);
    changed.push(...page.changed);
    if (afterUid === 0) vanished.push(...mailbox.knownWithin(page.vanished));
    highestModseq = Math.max(highestModseq, page.highestModseq);
    if (!page.more || page.changed.length === 0) break;
    afterUid = (page.changed[page.changed.length - 1] as MessageFlags).uid;
  }
  const out = expungeUpdates(mailbox, vanished, format);
  const known = mailbox.lastUid;
  const fresh = changed.filter((m) => m.uid > known).map((m) => m.uid);
  for (const message of changed) {
    const seq = message.uid <= known ? mailbox.seqOf(message.uid) : undefined;
    // the client already has this very state (flags at this modseq) from the session's own answer
    if (seq !== undefined && !mailbox.wasReported(message)) out.push(flagsUpdate(seq, message, format));
  }
  if (fresh.length > 0) {
    mailbox.append(fresh);
    out.push(Buffer.from(formatExists(mailbox.exists)));
  }
  mailbox.takenInUpTo(highestModseq);
  return out;
}

/**
 * Removes expunged UIDs from the mailbox and returns the responses that
 * tell the client: one `* VANISHED uids` once QRESYNC is enabled (RFC 7162
 * §3.2.10, which replaces EXPUNGE for good), otherwise `* n EXPUNGE` per
 * message, highest number first (RFC 9051 §7.5.1). UIDs the client does
 * not know are left out.
 */
export function expungeUpdates(mailbox: SelectedMailbox, uids: readonly number[], format: SessionWireOptions): Buffer[] {
  if (!format.qresync) return mailbox.remove(uids).map((seq) => Buffer.from(formatExpunge(seq)));
  const known = uids.filter((uid) => mailbox.seqOf(uid) !== undefined);
  mailbox.remove(known);
  return known.length === 0 ? [] : [Buffer.from(formatVanished(normalizeNumbers(known), false))];
}

/**
 * RFC 9051 §7.5.2: an unsolicited `* n FETCH (UID u FLAGS (...))` for a flag
 * change; with CONDSTORE on, MODSEQ too (RFC 7162 §3.1: every FETCH the
 * server sends on its own carries UID and MODSEQ).
 */
export function flagsUpdate(seq: number, message: MessageFlags, format: SessionWireOptions): Buffer {
  const modseq = format.condstore ? ` MODSEQ (${message.modseq})` : '';
  return new WireWriter(format).raw(`* ${seq} FETCH (UID ${message.uid} FLAGS (${message.flags.join(' ')})${modseq})\r\n`).toBuffer();
}

/** RFC 7162 §3.1.3: after STORE .SILENT with UNCHANGEDSINCE, the new modseq alone, `* n FETCH (UID u MODSEQ (m))`. */
export function modseqUpdate(seq: number, message: MessageFlags): Buffer {
  return Buffer.from(`* ${seq} FETCH (UID ${message.uid} MODSEQ (${message.modseq}))\r\n`);
}

/**
 * The UIDs of `within` (all of them when undefined) expunged since
 * `since`, leaving out those the session still shows (they get their own
 * VANISHED when the session takes the expunge in): VANISHED (EARLIER) of a
 * QRESYNC SELECT (RFC 7162 §3.2.5.1) and of UID FETCH (VANISHED) (§3.2.6).
 * mailbox-store keeps every expunged UID with its modseq, so the answer is
 * exact; the sequence match data of §3.2.5.2 is not needed.
 */
export async function expungedSince(store: MailboxStoreClient, user: string, mailbox: SelectedMailbox, since: number, within?: NormalizedSet): Promise<NormalizedSet> {
  const intervals: [number, number][] = [];
  for (const uids of uidSetsOf(within)) {
    // `changed` is not read here: one message of it is enough
    const page = await selectedFolderChanges(store, { user, folder: mailbox.name, since, ...(uids === undefined ? {} : { uids }), afterUid: 0, limit: 1 }, mailbox);
    for (const range of page.vanished) intervals.push([range.first, range.last]);
  }
  return mailbox.unknownWithin(normalizeIntervals(intervals));
}

/**
 * RFC 7162 §3.2.5.1: `* n FETCH (UID u FLAGS (...) MODSEQ (m))` for each
 * message of `within` (all when undefined) the session shows whose modseq
 * is above `since`, page by page. Messages delivered after the session's
 * snapshot are left to the next synchronize (EXISTS first).
 */
export async function* changesSince(
  store: MailboxStoreClient,
  user: string,
  mailbox: SelectedMailbox,
  since: number,
  within: NormalizedSet | undefined,
  format: SessionWireOptions,
): AsyncGenerator<Buffer> {
  for await (const message of changedMessages(store, user, mailbox, since, within)) {
    const seq = mailbox.seqOf(message.uid);
    if (seq !== undefined) yield flagsUpdate(seq, message, format);
  }
}

/**
 * The messages of `within` (all when undefined) whose modseq is above
 * `since` (RFC 7162 §3.1.4.1 CHANGEDSINCE), ascending by UID, page by page
 * from messages.changes.
 */
export async function* changedMessages(store: FolderChangesSource, user: string, mailbox: SelectedMailbox, since: number, within: NormalizedSet | undefined): AsyncGenerator<MessageFlags> {
  for (const uids of uidSetsOf(within)) {
    for (let afterUid = 0; ;) {
      const page = await selectedFolderChanges(store, { user, folder: mailbox.name, since, ...(uids === undefined ? {} : { uids }), afterUid, limit: SELECT_PAGE_MAX }, mailbox);
      yield* page.changed;
      const last = page.changed[page.changed.length - 1];
      if (!page.more || last === undefined) break;
      afterUid = last.uid;
    }
  }
}

/** A UID set as the contract's UID sets (at most UID_SET_MAX_RANGES ranges each); undefined: one request for the whole folder. */
function uidSetsOf(set: NormalizedSet | undefined): (UidRange[] | undefined)[] {
  if (set === undefined) return [undefined];
  const ranges: UidRange[] = [];
  for (let i = 0; i < set.length; i += 2) ranges.push({ first: set[i] as number, last: set[i + 1] as number });
  const sets: UidRange[][] = [];
  for (let i = 0; i < ranges.length; i += UID_SET_MAX_RANGES) sets.push(ranges.slice(i, i + UID_SET_MAX_RANGES));
  return sets;
}

/**
 * A command in the selected state was refused NO [NONEXISTENT]: by the
 * selected mailbox being gone (deleted or renamed since it was selected),
 * or by a name the command gave (STATUS, COPY's target, ...)? One
 * messages.changes of the selected mailbox tells: gone or recreated, the
 * session's BYE (RFC 2180 §3.3, RFC 9051 §2.3.1.1) in place of the NO;
 * there (or no answer), the refusal as it was. Every other refusal, and
 * one outside the selected state, is returned as it is without a request.
 */
export async function selectedMailboxRefusal(store: FolderChangesSource, protocol: ProtocolState, refusal: ImapResponseError): Promise<ImapResponseError> {
  if (refusal.code !== 'NONEXISTENT' || protocol.kind !== 'selected') return refusal;
  const { user, mailbox } = protocol;
  try {
    await selectedFolderChanges(store, { user, folder: mailbox.name, since: mailbox.highestModseq, afterUid: 0, limit: 1 }, mailbox);
    return refusal;
  } catch (error) {
    return error instanceof ImapResponseError && error.status === 'BYE' ? error : refusal;
  }
}

/**
 * messages.changes of the selected mailbox, which must still be the folder
 * the session selected.
 *
 * @throws SelectedMailboxGoneError when it no longer exists under its name (RFC 2180 §3.3);
 *   ImapResponseError BYE when it was recreated (RFC 9051 §2.3.1.1).
 */
async function selectedFolderChanges(store: FolderChangesSource, ask: ChangesAsk, mailbox: SelectedMailbox): Promise<ChangesReply> {
  let page: ChangesReply;
  try {
    page = await store.folderChanges(ask);
  } catch (error) {
    throw error instanceof ImapResponseError && error.code === 'NONEXISTENT' ? new SelectedMailboxGoneError(error) : error;
  }
  assertSameFolder(page.uidValidity, mailbox);
  return page;
}

/** @throws ImapResponseError BYE when the folder was recreated (UIDVALIDITY changed: RFC 9051 §2.3.1.1). */
function assertSameFolder(uidValidity: number, mailbox: SelectedMailbox): void {
  if (uidValidity !== mailbox.uidValidity) throw new ImapResponseError('BYE', 'The mailbox was recreated; select it again', { userFault: false });
}
