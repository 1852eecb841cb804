/**
 * Group commit: the small messages of a batch stored in ONE transaction —
 * users locked and every message admitted in two statements, every new
 * message row and every entry in one more (a multi-row INSERT of the rows
 * as the first part of the entries' statement) — instead of
 * a transaction of five statements per message (store-message.ts). The
 * keys are those of one at a time (queue id; message and user), so a
 * redelivered group stores nothing twice, and a crash anywhere leaves the
 * group all stored or not at all. A PostgreSQL error rolls the whole group
 * back: the caller then stores its messages one at a time, so that one bad
 * message cannot block the others.
 */
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { silentNotifier, type ChangeNotifier } from '../mailbox/change-notices';
import type { FolderName } from '../mailbox/folders';
import { deleteUnreferencedMessages } from '../mailbox/unreferenced-messages';
import type { StepHook } from './crash-points';
import { insertEntries } from './mailbox-entries';
import { messageRowsInsert, type WholeMessageRow } from './message-row';
import { admitMessages, type MessageToAdmit } from './recipient-admission';
import { outcomeOf, type StoreOutcome } from './store-message';

export interface GroupMember extends MessageToAdmit {
  readonly folder: FolderName;
  /** The row to write; absent when no owner could take the message before the transaction but one holds it (its row exists). */
  readonly row?: WholeMessageRow | undefined;
}

/** Stores `members` in one transaction; their outcomes, in order. The folders' changes are notified after the commit. */
export async function storeGroup(pool: Pool, members: readonly GroupMember[], onStep: StepHook = () => undefined, notify: ChangeNotifier = silentNotifier): Promise<StoreOutcome[]> {
  const { outcomes, notices } = await withTransaction(pool, async (client) => {
    // The decision that counts: users locked, usage read after every concurrent delivery committed.
    const admissions = await admitMessages(client, members, { lock: true });
    const admissionOf = (index: number) => admissions[index] ?? { held: [], accepted: [], overQuota: [], missing: [] };
    const rows = members.flatMap((member, i) => (member.row !== undefined && admissionOf(i).accepted.length > 0 ? [member.row] : []));
    // The rows and the entries in one statement: the entries' foreign keys are checked at its end, the rows written by then.
    const { perMessage: created, notices } = await insertEntries(
      client,
      members.flatMap((member, i) => admissionOf(i).accepted.map((owner) => ({ messageId: member.queueId, userId: owner.id, owner: owner.address, size: member.size, folder: member.folder }))),
      rows.length > 0 ? messageRowsInsert(rows, 5) : undefined,
    );
    if (rows.length > 0) onStep('body-written');
    // Refused by everyone after all (a quota filled meanwhile): no raw bytes without an entry.
    await deleteUnreferencedMessages(
      client,
      members.filter((member, i) => !created.has(member.queueId) && admissionOf(i).held.length === 0).map((member) => member.queueId),
    );
    onStep('entries-written');
    // Entries are counted by queue id: a message twice in the group (published again) created them the first time.
    return { outcomes: members.map((member, i) => outcomeOf(admissionOf(i), admissionOf(i).accepted.length > 0 ? (created.get(member.queueId) ?? 0) : 0)), notices };
  });
  notify(notices);
  return outcomes;
}
