/**
 * `mail.v1.folders.list` and `.quota`: a user's folders with their state
 * (LIST, STATUS; RFC 6154 special-use, RFC 9051 §6.3.7 subscriptions) and
 * the user's quota (RFC 9208).
 */
import { RemoteError } from '@mail/bus';
import type { FolderListing, Requests, SpecialUse } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { canonicalFolderName } from '../imap/folder-row';
import type { RequestHandler } from './request-handler';

interface ListingRow {
  name: string;
  special_use: string | null;
  subscribed: boolean;
  has_children: boolean;
  uid_validity: string;
  uid_next: string;
  highest_modseq: string;
  messages: number | null;
  unseen: number | null;
  deleted: number | null;
  size: string | null;
}

export function listFolders(db: Queryable): RequestHandler<typeof Requests.listFolders> {
  return async ({ user, names, counts }) => {
    const address = user.toLowerCase();
    const { rows: users } = await db.query<{ id: string }>('SELECT id FROM users WHERE address = $1', [address]);
    const userId = users[0]?.id;
    if (userId === undefined) throw new RemoteError('unknown-user', `user ${user} does not exist`);
    const { rows } = await db.query<ListingRow>(
      `SELECT mb.name, mb.special_use, mb.uid_validity, mb.uid_next, mb.highest_modseq,
              EXISTS (SELECT 1 FROM mailbox_subscriptions s WHERE s.user_id = mb.user_id AND s.name = mb.name) AS subscribed,
              EXISTS (SELECT 1 FROM mailboxes c WHERE c.user_id = mb.user_id AND starts_with(c.name, mb.name || '/')) AS has_children,
              c.messages, c.unseen, c.deleted, c.size
         FROM mailboxes mb
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS messages, count(*) FILTER (WHERE NOT e.flags @> ARRAY['\\Seen'])::int AS unseen,
                  count(*) FILTER (WHERE e.flags @> ARRAY['\\Deleted'])::int AS deleted, coalesce(sum(e.size), 0)::bigint AS size
             FROM mailbox_entries e WHERE e.mailbox_id = mb.id) c ON $3
        WHERE mb.user_id = $1 AND ($2::text[] IS NULL OR mb.name = ANY($2::text[]))
        ORDER BY mb.name`,
      [userId, names?.map(canonicalFolderName) ?? null, counts],
    );
    const orphans = await db.query<{ name: string }>(
      'SELECT s.name FROM mailbox_subscriptions s WHERE s.user_id = $1 AND NOT EXISTS (SELECT 1 FROM mailboxes mb WHERE mb.user_id = s.user_id AND mb.name = s.name) ORDER BY s.name',
      [userId],
    );
    return { folders: rows.map(listingOf), orphanSubscriptions: orphans.rows.map((row) => row.name) };
  };
}

function listingOf(row: ListingRow): FolderListing {
  return {
    name: row.name,
    specialUse: row.special_use as SpecialUse | null,
    subscribed: row.subscribed,
    hasChildren: row.has_children,
    uidValidity: Number(row.uid_validity),
    uidNext: Number(row.uid_next),
    highestModseq: Number(row.highest_modseq),
    ...(row.messages === null ? {} : { counts: { messages: row.messages, unseen: row.unseen ?? 0, deleted: row.deleted ?? 0, size: Number(row.size ?? 0) } }),
  };
}

export function quota(db: Queryable): RequestHandler<typeof Requests.quota> {
  return async ({ user }) => {
    const { rows } = await db.query<{ quota_bytes: string | null; used: string; messages: number }>(
      `SELECT u.quota_bytes, coalesce(sum(e.size), 0)::bigint AS used, count(e.id)::int AS messages
         FROM users u LEFT JOIN mailbox_entries e ON e.user_id = u.id WHERE u.address = $1 GROUP BY u.id`,
      [user.toLowerCase()],
    );
    const row = rows[0];
    if (row === undefined) throw new RemoteError('unknown-user', `user ${user} does not exist`);
    return { usedOctets: Number(row.used), limitOctets: row.quota_bytes === null ? null : Number(row.quota_bytes), messages: row.messages };
  };
}
