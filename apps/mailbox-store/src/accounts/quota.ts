/**
 * Per-user storage quotas (users.quota_bytes): the limit on the octets of
 * every entry a user holds, INBOX and Junk alike; NULL means no limit.
 * Delivery refuses a message that would take a user past the limit
 * (store-message.ts); RCPT-time checks ask which mailboxes are already full.
 */
import { RemoteError } from '@mail/bus';
import type { Queryable } from '../database/pool';
import { AccountError } from './account-error';

export interface QuotaUsage {
  readonly address: string;
  /** Octets allowed; null when unlimited. */
  readonly quotaBytes: number | null;
  readonly usedBytes: number;
}

/** Set (or with null, remove) a user's quota. */
export async function setQuota(db: Queryable, address: string, bytes: number | null): Promise<void> {
  const result = await db.query('UPDATE users SET quota_bytes = $2 WHERE address = $1', [address, bytes]);
  if (result.rowCount === 0) throw new AccountError('unknown-user', `user ${address} does not exist`);
}

/** Usage of those of `addresses` that have a quota (users without one are left out). */
export async function quotaUsage(db: Queryable, addresses: readonly string[]): Promise<QuotaUsage[]> {
  if (addresses.length === 0) return [];
  const { rows } = await db.query<{ address: string; quota_bytes: string; used: string }>(
    `SELECT u.address, u.quota_bytes,
            (SELECT coalesce(sum(e.size), 0) FROM mailbox_entries e WHERE e.user_id = u.id) AS used
       FROM users u
      WHERE u.address = ANY($1::text[]) AND u.quota_bytes IS NOT NULL`,
    [addresses],
  );
  return rows.map((row) => ({ address: row.address, quotaBytes: Number(row.quota_bytes), usedBytes: Number(row.used) }));
}

/** Whether `incoming` more octets fit under the quota. */
export function fits(usage: Pick<QuotaUsage, 'quotaBytes' | 'usedBytes'>, incoming: number): boolean {
  return usage.quotaBytes === null || usage.usedBytes + incoming <= usage.quotaBytes;
}

/** Those of `addresses` whose mailbox is full (usage at or above the quota): RCPT-time refusal. */
export async function fullMailboxes(db: Queryable, addresses: readonly string[]): Promise<string[]> {
  return (await quotaUsage(db, addresses)).filter((usage) => !fits(usage, 1)).map((usage) => usage.address);
}

/** RFC 9208 §4.3: refuse (RemoteError over-quota: [OVERQUOTA]) `incoming` octets that would take the user past the quota. */
export async function refuseOverQuota(db: Queryable, address: string, incoming: number): Promise<void> {
  const [usage] = await quotaUsage(db, [address]);
  if (usage !== undefined && !fits(usage, incoming)) throw new RemoteError('over-quota', `${incoming} more octets would exceed the quota of ${address}`);
}
