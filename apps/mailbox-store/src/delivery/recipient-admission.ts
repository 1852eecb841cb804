/**
 * Which recipient mailboxes take a message of a given size: those that hold
 * it already (a redelivery), those with room under their quota, and those
 * that refuse it — over quota, or no longer existing. Run once without locks
 * to skip reading a body nobody can take, and once inside the delivery
 * transaction after locking the users, so concurrent deliveries to the same
 * user cannot both squeeze under the quota.
 *
 * A batch of messages (group commit) is admitted in the same one statement:
 * every owner's usage and the messages of the batch each one holds. The
 * messages then take their places in batch order, each counting against
 * the quota what the ones before it took, so a batch fills a quota exactly
 * as the same messages one after the other would.
 */
import { fits, type QuotaUsage } from '../accounts/quota';
import type { Queryable } from '../database/pool';

export interface Admission {
  /** Owners that hold the message already (an earlier delivery of the same queue id). */
  readonly held: string[];
  /** Owners that take it now, with their user ids. */
  readonly accepted: { readonly id: string; readonly address: string }[];
  /** Owners whose quota the message would exceed. */
  readonly overQuota: QuotaUsage[];
  /** Owners that do not exist (any more). */
  readonly missing: string[];
}

/** A message to admit: its queue id, stored size and (normalized) owner addresses. */
export interface MessageToAdmit {
  readonly queueId: string;
  readonly size: number;
  readonly mailboxes: readonly string[];
}

interface OwnerRow {
  id: string;
  address: string;
  quota_bytes: string | null;
  used: string | number;
  /** Queue ids of the batch this user holds already. */
  held: string[];
}

/**
 * Admit each of `messages`, in order. With `lock`, the users' rows are
 * locked FOR NO KEY UPDATE first, in id order (no deadlock between
 * deliveries), and the usage is read by a later statement, which in READ
 * COMMITTED sees every delivery committed while this one waited. The usage
 * is summed only for users with a quota, in the same statement as the
 * `held` check.
 */
export async function admitMessages(db: Queryable, messages: readonly MessageToAdmit[], options: { readonly lock: boolean }): Promise<Admission[]> {
  const owners = [...new Set(messages.flatMap((message) => message.mailboxes))];
  if (options.lock) {
    // FOR NO KEY UPDATE: a concurrent user removal (FOR UPDATE) and other deliveries to these users wait.
    await db.query('SELECT id FROM users WHERE address = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE', [owners]);
  }
  // One statement reads who holds which message and, for users with a quota, their usage (one round trip, not two).
  const { rows } = await db.query<OwnerRow>(
    `SELECT u.id, u.address, u.quota_bytes,
            ARRAY(SELECT e.message_id FROM mailbox_entries e WHERE e.user_id = u.id AND e.message_id = ANY($2::text[])) AS held,
            CASE WHEN u.quota_bytes IS NULL THEN 0
                 ELSE (SELECT coalesce(sum(e.size), 0) FROM mailbox_entries e WHERE e.user_id = u.id) END AS used
       FROM users u WHERE u.address = ANY($1::text[]) ORDER BY u.id`,
    [owners, messages.map((message) => message.queueId)],
  );
  const usedBy = new Map(rows.map((row) => [row.id, Number(row.used)]));
  /** `<queue id> <user id>` taken by an earlier message of the batch: the same message twice (published again) is held by then. */
  const taken = new Set<string>();
  return messages.map((message) => {
    const owners = new Set(message.mailboxes);
    const admission: Admission = { held: [], accepted: [], overQuota: [], missing: message.mailboxes.filter((owner) => !rows.some((row) => row.address === owner)) };
    // In user id order, as the rows come.
    for (const row of rows) {
      if (!owners.has(row.address)) continue;
      const used = usedBy.get(row.id) ?? 0;
      const quota: QuotaUsage | undefined = row.quota_bytes === null ? undefined : { address: row.address, quotaBytes: Number(row.quota_bytes), usedBytes: used };
      if (row.held.includes(message.queueId) || taken.has(`${message.queueId} ${row.id}`)) admission.held.push(row.address);
      else if (quota !== undefined && !fits(quota, message.size)) admission.overQuota.push(quota);
      else {
        admission.accepted.push({ id: row.id, address: row.address });
        usedBy.set(row.id, used + message.size);
        taken.add(`${message.queueId} ${row.id}`);
      }
    }
    return admission;
  });
}

/** Admit one message (queue id and stored size) to the mailboxes of `owners` (normalized addresses); see admitMessages. */
export async function admitRecipients(db: Queryable, owners: readonly string[], message: { readonly queueId: string; readonly size: number }, options: { readonly lock: boolean }): Promise<Admission> {
  const [admission] = await admitMessages(db, [{ ...message, mailboxes: owners }], options);
  return admission as Admission;
}
