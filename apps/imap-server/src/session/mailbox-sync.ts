/**
 * Reading a folder into a SelectedMailbox and keeping it current:
 *
 * - open: messages.select page by page (SELECT_PAGE_MAX UIDs each); when it
 *   took several pages, messages.changes since the first page's modseq
 *   catches what changed meanwhile (the contract's advice).
 * - synchronize: messages.changes since the modseq the session has taken
 *   in, turned into untagged responses (RFC 9051 §7.4.1 EXISTS, §7.5.1
 *   EXPUNGE, §7.5.2 FETCH FLAGS), applied to the mailbox in the same step,
 *   so what the client was told and what the session holds never differ.
 */
import { SELECT_PAGE_MAX, type MessageFlags } from '@mail/contracts';
import { formatExists, formatExpunge, ImapResponseError, WireWriter, type WireStringOptions } from '@mail/imap';
import type { MailboxStoreClient } from '../mailbox/mailbox-store-client';
import { SelectedMailbox, type MailboxHeader } from './selected-mailbox';

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
  if (page !== first) await synchronize(store, user, mailbox, { utf8: false });
  return { mailbox, specialUse: first.specialUse, unseen: first.unseen, firstUnseenUid: first.firstUnseenUid };
}

/**
 * Takes in the changes since `mailbox.highestModseq` and returns the
 * untagged responses announcing them, in the order they must be sent.
 *
 * @throws ImapResponseError BYE when the folder was recreated (UIDVALIDITY changed: RFC 9051 §2.3.1.1).
 */
export async function synchronize(store: MailboxStoreClient, user: string, mailbox: SelectedMailbox, wire: WireStringOptions): Promise<Buffer[]> {
  const changed: MessageFlags[] = [];
  const vanished: number[] = [];
  let afterUid = 0;
  let highestModseq = mailbox.highestModseq;
  for (;;) {
    const page = await store.folderChanges({ user, folder: mailbox.name, since: mailbox.highestModseq, afterUid, limit: SELECT_PAGE_MAX });
    if (page.uidValidity !== mailbox.uidValidity) throw new ImapResponseError('BYE', 'The mailbox was recreated; select it again', { userFault: false });
    changed.push(...page.changed);
    if (afterUid === 0) vanished.push(...mailbox.knownWithin(page.vanished));
    highestModseq = Math.max(highestModseq, page.highestModseq);
    if (!page.more || page.changed.length === 0) break;
    afterUid = (page.changed[page.changed.length - 1] as MessageFlags).uid;
  }
  const out: Buffer[] = [];
  for (const seq of mailbox.remove(vanished)) out.push(Buffer.from(formatExpunge(seq)));
  const known = mailbox.lastUid;
  const fresh = changed.filter((m) => m.uid > known).map((m) => m.uid);
  for (const message of changed) {
    const seq = message.uid <= known ? mailbox.seqOf(message.uid) : undefined;
    if (seq !== undefined) out.push(flagsUpdate(seq, message, wire));
  }
  if (fresh.length > 0) {
    mailbox.append(fresh);
    out.push(Buffer.from(formatExists(mailbox.exists)));
  }
  mailbox.highestModseq = highestModseq;
  return out;
}

/** RFC 9051 §7.5.2: an unsolicited `* n FETCH (UID u FLAGS (...))` for a flag change made elsewhere. */
export function flagsUpdate(seq: number, message: Pick<MessageFlags, 'uid' | 'flags'>, wire: WireStringOptions): Buffer {
  return new WireWriter(wire).raw(`* ${seq} FETCH (UID ${message.uid} FLAGS (${message.flags.join(' ')}))\r\n`).toBuffer();
}
