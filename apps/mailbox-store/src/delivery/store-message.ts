/**
 * The one transaction that delivers a message: raw bytes stored once, one
 * entry per recipient mailbox that takes it. Keyed by the queue id
 * (messages) and (message, user) (entries), so running it again for the same
 * message — a redelivery after a crash between commit and ack — changes
 * nothing: exactly-once storage over at-least-once delivery.
 *
 * A mailbox over its quota does not take the message (reported, never
 * dropped silently); when no mailbox takes it the body is not even read.
 * The body is written in pieces (message-row.ts) so a large message is never
 * held whole for the database.
 */
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { silentNotifier, type ChangeNotifier } from '../mailbox/change-notices';
import type { FolderName } from '../mailbox/folders';
import type { StepHook } from './crash-points';
import { deleteUnreferencedMessages } from '../mailbox/unreferenced-messages';
import { insertEntries } from './mailbox-entries';
import { insertMessage, messageExists, type MessagePieces, type MessageRow } from './message-row';
import { admitRecipients, type Admission } from './recipient-admission';

export interface MessageToStore extends Omit<MessageRow, 'metadata'> {
  /** Octets of the stored message (prepended header lines + body). */
  readonly size: number;
  /** Normalized owner addresses. */
  readonly mailboxes: readonly string[];
  readonly folder: FolderName;
  /** Reads the body (metadata and pieces); called at most once, and only when the message must be written. */
  openBody(): Promise<{ readonly metadata: MessageRow['metadata']; readonly pieces: MessagePieces }>;
}

export interface StoreOutcome {
  /** Owners that hold the message now (new entries and earlier deliveries alike). */
  readonly delivered: string[];
  /** Owners that do not exist (any more). */
  readonly missing: string[];
  /** Owners whose quota the message would exceed: not stored for them. */
  readonly overQuota: Admission['overQuota'];
  /** Entries created by this call; 0 on a redelivery. */
  readonly created: number;
}

export async function storeMessage(pool: Pool, message: MessageToStore, onStep: StepHook = () => undefined, notify: ChangeNotifier = silentNotifier): Promise<StoreOutcome> {
  // Without locks first: when no mailbox can take the message, neither the body nor a lock is needed.
  const preview = await admitRecipients(pool, message.mailboxes, message, { lock: false });
  if (preview.accepted.length === 0 && preview.held.length === 0) return outcomeOf(preview, 0);
  const { outcome, notices } = await withTransaction(pool, async (client) => {
    if (preview.accepted.length > 0 && !(await messageExists(client, message.queueId))) {
      const body = await message.openBody();
      await insertMessage(client, { ...message, metadata: body.metadata }, body.pieces);
      onStep('body-written');
    }
    // The decision that counts: users locked, usage read after every concurrent delivery committed.
    const admission = await admitRecipients(client, message.mailboxes, message, { lock: true });
    const inserted = await insertEntries(
      client,
      admission.accepted.map((owner) => ({ messageId: message.queueId, userId: owner.id, owner: owner.address, size: message.size, folder: message.folder })),
    );
    const created = inserted.perMessage.get(message.queueId) ?? 0;
    // Everyone refused it after all (quota filled meanwhile): the raw bytes must not stay without an entry.
    if (created === 0 && admission.held.length === 0) await deleteUnreferencedMessages(client, [message.queueId]);
    onStep('entries-written');
    return { outcome: outcomeOf(admission, created), notices: inserted.notices };
  });
  notify(notices);
  return outcome;
}

/** What became of a message for each of its owners. */
export function outcomeOf(admission: Admission, created: number): StoreOutcome {
  return {
    delivered: [...admission.held, ...admission.accepted.map((owner) => owner.address)],
    missing: admission.missing,
    overQuota: admission.overQuota,
    created,
  };
}
