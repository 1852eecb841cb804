/**
 * Finding a user's folder by the name an IMAP client gives, and the UID-set
 * condition every message request uses. Addresses passed in must be
 * normalized.
 */
import { RemoteError } from '@mail/bus';
import type { UidRange } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { Folders } from '../mailbox/folders';

export interface FolderRow {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly uidValidity: number;
  readonly uidNext: number;
  readonly highestModseq: number;
  readonly specialUse: string | null;
  /** Expunge records up to this modseq have been pruned (005_expunge_retention.sql); 0 when none. */
  readonly expungesForgottenModseq: number;
}

/** RFC 9051 §5.1: INBOX is case-insensitive; every other name is as given. */
export function canonicalFolderName(name: string): string {
  return name.toUpperCase() === Folders.inbox ? Folders.inbox : name;
}

/**
 * The folder `name` of `address`; with `lock`, its row is locked FOR UPDATE
 * and its modseq moved on by one (a change is coming). Run with the user
 * locked first when locking (user-lock.ts). RemoteError unknown-user or
 * unknown-folder.
 */
export async function findFolder(db: Queryable, address: string, name: string, options: { readonly bumpModseq?: boolean } = {}): Promise<FolderRow> {
  const sql = options.bumpModseq
    ? `UPDATE mailboxes mb SET highest_modseq = mb.highest_modseq + 1 FROM users u
        WHERE u.address = $1 AND mb.user_id = u.id AND mb.name = $2
        RETURNING mb.id, mb.user_id, mb.name, mb.uid_validity, mb.uid_next, mb.highest_modseq, mb.special_use, mb.expunges_forgotten_modseq`
    : `SELECT mb.id, mb.user_id, mb.name, mb.uid_validity, mb.uid_next, mb.highest_modseq, mb.special_use, mb.expunges_forgotten_modseq
         FROM users u JOIN mailboxes mb ON mb.user_id = u.id WHERE u.address = $1 AND mb.name = $2`;
  const { rows } = await db.query<{
    id: string;
    user_id: string;
    name: string;
    uid_validity: string;
    uid_next: string;
    highest_modseq: string;
    special_use: string | null;
    expunges_forgotten_modseq: string;
  }>(sql, [address, canonicalFolderName(name)]);
  const row = rows[0];
  if (row === undefined) {
    const user = await db.query('SELECT 1 FROM users WHERE address = $1', [address]);
    if (user.rowCount === 0) throw new RemoteError('unknown-user', `user ${address} does not exist`);
    throw new RemoteError('unknown-folder', `no folder ${name}`);
  }
  return {
    id: String(row.id),
    userId: String(row.user_id),
    name: row.name,
    uidValidity: Number(row.uid_validity),
    uidNext: Number(row.uid_next),
    highestModseq: Number(row.highest_modseq),
    specialUse: row.special_use,
    expungesForgottenModseq: Number(row.expunges_forgotten_modseq),
  };
}

/**
 * Gives `count` new UIDs in folder `folderId`: uid_next moved on by the
 * count and the modseq by one, the row locked to commit (RFC 9051
 * §2.3.1.1: UIDs ascend and are never given twice). The first UID and the
 * new entries' modseq.
 */
export async function allocateUids(db: Queryable, folderId: string, count: number): Promise<{ firstUid: number; modseq: number }> {
  const { rows } = await db.query<{ uid_next: string; highest_modseq: string }>(
    'UPDATE mailboxes SET uid_next = uid_next + $2, highest_modseq = highest_modseq + 1 WHERE id = $1 RETURNING uid_next, highest_modseq',
    [folderId, count],
  );
  const row = rows[0] as { uid_next: string; highest_modseq: string };
  return { firstUid: Number(row.uid_next) - count, modseq: Number(row.highest_modseq) };
}

/** The parameters of a UID set: lower and upper ends (RFC 9051 §9: `a:b` and `b:a` are the same range). */
export function uidSetParameters(ranges: readonly UidRange[]): [number[], number[]] {
  return [ranges.map((range) => Math.min(range.first, range.last)), ranges.map((range) => Math.max(range.first, range.last))];
}

/** SQL: entry `e` is in the UID set whose ends are parameters $first and $last. */
export function inUidSet(first: number, last: number): string {
  return `EXISTS (SELECT 1 FROM unnest($${first}::bigint[], $${last}::bigint[]) AS r(lo, hi) WHERE e.imap_uid BETWEEN r.lo AND r.hi)`;
}

/** Flags as stored: system flags in their canonical spelling (RFC 9051 §2.3.2), duplicates dropped. */
export function canonicalFlags(flags: readonly string[]): string[] {
  const system = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'];
  const canonical = flags.map((flag) => (flag.startsWith('\\') ? (system.find((known) => known.toLowerCase() === flag.toLowerCase()) ?? flag) : flag));
  return [...new Set(canonical)];
}
