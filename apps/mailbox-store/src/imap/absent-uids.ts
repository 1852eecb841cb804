/**
 * The UIDs below UIDNEXT that a folder does not hold: what VANISHED
 * (EARLIER) reports to a client resynchronising from a modseq older than
 * the folder's pruned expunge records (005_expunge_retention.sql). A
 * superset of what was expunged since that modseq — UIDs the client never
 * had included — which RFC 7162 §3.2.5.1 and §3.2.10 allow: the client
 * drops the UIDs it holds and ignores the others.
 */
import type { UidRange } from '@mail/contracts';
import type { Queryable } from '../database/pool';

/** Every gap between the folder's UIDs, and after the last one up to `uidNext - 1`, ascending. */
export async function absentUids(db: Queryable, folderId: string, uidNext: number): Promise<UidRange[]> {
  const { rows } = await db.query<{ first: string; last: string }>(
    `SELECT g.prev + 1 AS first, g.uid - 1 AS last FROM (
       SELECT u.uid, lag(u.uid, 1, 0::bigint) OVER (ORDER BY u.uid) AS prev
         FROM (SELECT imap_uid AS uid FROM mailbox_entries WHERE mailbox_id = $1 UNION ALL SELECT $2::bigint) u
     ) g WHERE g.uid > g.prev + 1 ORDER BY g.prev`,
    [folderId, uidNext],
  );
  return rows.map((row) => ({ first: Number(row.first), last: Number(row.last) }));
}

/** The part of ascending, disjoint `ranges` inside the UID set `within` (ranges in any order, either end first). */
export function rangesWithin(ranges: readonly UidRange[], within: readonly UidRange[]): UidRange[] {
  const bounds = within.map((range) => [Math.min(range.first, range.last), Math.max(range.first, range.last)] as const).sort((a, b) => a[0] - b[0]);
  const inside: UidRange[] = [];
  for (const range of ranges) {
    for (const [low, high] of bounds) {
      const first = Math.max(range.first, low);
      const last = Math.min(range.last, high);
      if (first > last) continue;
      const previous = inside.at(-1);
      if (previous !== undefined && first <= previous.last + 1) previous.last = Math.max(previous.last, last);
      else inside.push({ first, last });
    }
  }
  return inside;
}
