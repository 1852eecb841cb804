/**
 * The mailbox.changed notices (@mail/contracts Notices.mailboxChanged) of a
 * committed change, one per folder, and how they are sent: after the
 * commit, fire and forget — IMAP sessions resynchronise from
 * messages.changes when one is lost.
 */
import { MAILBOX_CHANGED_MAX_UIDS, type MailboxChanged } from '@mail/contracts';

/** Sends notices (bus.notify in the service; a recorder in tests). */
export type ChangeNotifier = (notices: readonly MailboxChanged[]) => void;

export const silentNotifier: ChangeNotifier = () => undefined;

/** One notice of `kind` for a folder, its UIDs cut at the notice's bound (`truncated` then). */
export function changeNotice(
  change: { readonly user: string; readonly folder: string; readonly uidValidity: number; readonly modseq: number },
  kind: MailboxChanged['kind'],
  uids: readonly number[],
): MailboxChanged {
  return {
    version: 1,
    user: change.user,
    folder: change.folder,
    uidValidity: change.uidValidity,
    kind,
    uids: uids.slice(0, MAILBOX_CHANGED_MAX_UIDS),
    truncated: uids.length > MAILBOX_CHANGED_MAX_UIDS,
    modseq: change.modseq,
  };
}

/** `added` notices of new entries, grouped by user and folder (the highest modseq of each). */
export function addedNotices(added: readonly { user: string; folder: string; uidValidity: number; uid: number; modseq: number }[]): MailboxChanged[] {
  const byFolder = new Map<string, { user: string; folder: string; uidValidity: number; modseq: number; uids: number[] }>();
  for (const entry of added) {
    const key = `${entry.user}\n${entry.folder}`;
    const group = byFolder.get(key) ?? { user: entry.user, folder: entry.folder, uidValidity: entry.uidValidity, modseq: 0, uids: [] };
    group.uids.push(entry.uid);
    group.modseq = Math.max(group.modseq, entry.modseq);
    byFolder.set(key, group);
  }
  return [...byFolder.values()].map((group) => changeNotice(group, 'added', group.uids));
}
