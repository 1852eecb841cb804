/**
 * `mail.v1.messages.select` (SELECT/EXAMINE, RFC 9051 §6.3.2) and
 * `.changes` (QRESYNC, RFC 7162 §3.2.5): a folder's state and its messages'
 * UIDs, flags and modseqs, paged in UID order; what changed since a modseq,
 * with the UIDs expunged after it (or, past the retention of expunge
 * records, every UID the folder does not hold: absent-uids.ts).
 */
import type { MessageFlags, Requests, SpecialUse, UidRange } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { absentUids, rangesWithin } from '../imap/absent-uids';
import { findFolder, inUidSet, uidSetParameters, type FolderRow } from '../imap/folder-row';
import type { RequestHandler } from './request-handler';

const everyUid: UidRange[] = [{ first: 1, last: 4_294_967_295 }];

type FlagRow = { imap_uid: string; flags: string[]; modseq: string };
const flagsOf = (row: FlagRow): MessageFlags => ({ uid: Number(row.imap_uid), flags: row.flags, modseq: Number(row.modseq) });
const stateOf = (folder: FolderRow) => ({
  uidValidity: folder.uidValidity,
  uidNext: folder.uidNext,
  highestModseq: folder.highestModseq,
  specialUse: folder.specialUse as SpecialUse | null,
});

export function selectFolder(db: Queryable): RequestHandler<typeof Requests.selectFolder> {
  return async ({ user, folder: name, afterUid, limit }) => {
    const folder = await findFolder(db, user.toLowerCase(), name);
    const [counts, page] = await Promise.all([
      db.query<{ exists: number; unseen: number; first_unseen: string | null }>(
        `SELECT count(*)::int AS exists, count(*) FILTER (WHERE NOT e.flags @> ARRAY['\\Seen'])::int AS unseen,
                min(e.imap_uid) FILTER (WHERE NOT e.flags @> ARRAY['\\Seen']) AS first_unseen
           FROM mailbox_entries e WHERE e.mailbox_id = $1`,
        [folder.id],
      ),
      db.query<FlagRow>('SELECT imap_uid, flags, modseq FROM mailbox_entries WHERE mailbox_id = $1 AND imap_uid > $2 ORDER BY imap_uid LIMIT $3', [folder.id, afterUid, limit + 1]),
    ]);
    const summary = counts.rows[0] ?? { exists: 0, unseen: 0, first_unseen: null };
    return {
      ...stateOf(folder),
      exists: summary.exists,
      unseen: summary.unseen,
      firstUnseenUid: summary.first_unseen === null ? null : Number(summary.first_unseen),
      messages: page.rows.slice(0, limit).map(flagsOf),
      more: page.rows.length > limit,
    };
  };
}

/** Ascending UIDs as ranges (`1,2,3,7` → 1:3, 7:7). */
export function rangesOf(uids: readonly number[]): UidRange[] {
  const ranges: UidRange[] = [];
  for (const uid of uids) {
    const last = ranges.at(-1);
    if (last !== undefined && uid === last.last + 1) last.last = uid;
    else ranges.push({ first: uid, last: uid });
  }
  return ranges;
}

export function folderChanges(db: Queryable): RequestHandler<typeof Requests.folderChanges> {
  return async ({ user, folder: name, since, uids, afterUid, limit }) => {
    const folder = await findFolder(db, user.toLowerCase(), name);
    const [first, last] = uids === undefined ? [null, null] : uidSetParameters(uids);
    const within = `($4::bigint[] IS NULL OR ${inUidSet(4, 5)})`;
    // Records at or below the forgotten modseq are pruned: from there only the absent UIDs can be told (a superset)
    const recordsComplete = since >= folder.expungesForgottenModseq;
    const [changed, vanished] = await Promise.all([
      db.query<FlagRow>(
        `SELECT e.imap_uid, e.flags, e.modseq FROM mailbox_entries e
          WHERE e.mailbox_id = $1 AND e.modseq > $2 AND e.imap_uid > $3 AND ${within}
          ORDER BY e.imap_uid LIMIT $6`,
        [folder.id, since, afterUid, first, last, limit + 1],
      ),
      recordsComplete ? expungedSince(db, folder.id, since, within, first, last) : absentUids(db, folder.id, folder.uidNext).then((absent) => rangesWithin(absent, uids ?? everyUid)),
    ]);
    return {
      ...stateOf(folder),
      changed: changed.rows.slice(0, limit).map(flagsOf),
      more: changed.rows.length > limit,
      vanished,
    };
  };
}

/** The UIDs expunged after modseq `since`, within the UID set of parameters `first`/`last` (`within`: its SQL), as ranges. */
async function expungedSince(db: Queryable, folderId: string, since: number, within: string, first: number[] | null, last: number[] | null): Promise<UidRange[]> {
  const { rows } = await db.query<{ imap_uid: string }>(`SELECT e.imap_uid FROM expunged_entries e WHERE e.mailbox_id = $1 AND e.modseq > $2 AND $3::int >= 0 AND ${within} ORDER BY e.imap_uid`, [
    folderId,
    since,
    0,
    first,
    last,
  ]);
  return rangesOf(rows.map((row) => Number(row.imap_uid)));
}
