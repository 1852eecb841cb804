/**
 * The names CREATE and RENAME give folders (RFC 9051 §5.1, §6.3.4, §6.3.6):
 * checked and normalized, their superior levels, and creating those that
 * are missing. Run with the user locked (user-lock.ts).
 */
import { RemoteError } from '@mail/bus';
import { FOLDER_DELIMITER, FolderName } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { Folders } from '../mailbox/folders';

/**
 * The name a new folder gets: a trailing delimiter dropped (RFC 9051
 * §6.3.4: it declares the intent to create inferior names, the name is
 * created without it), `inbox/x` spelled `INBOX/x`. RemoteError folder-exists for any case of INBOX
 * (§5.1: it always exists), invalid-folder for a name no folder can have.
 */
export function newFolderName(requested: string): string {
  const trimmed = requested.endsWith(FOLDER_DELIMITER) ? requested.slice(0, -1) : requested;
  if (trimmed.toUpperCase() === Folders.inbox) throw new RemoteError('folder-exists', 'INBOX always exists');
  // Inferior names of INBOX are spelled under its canonical name, whatever the case given.
  const [top = '', ...rest] = trimmed.split(FOLDER_DELIMITER);
  const name = top.toUpperCase() === Folders.inbox ? [Folders.inbox, ...rest].join(FOLDER_DELIMITER) : trimmed;
  const parsed = FolderName.safeParse(name);
  if (!parsed.success) throw new RemoteError('invalid-folder', `${JSON.stringify(requested)} is not a valid folder name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return name;
}

/** The superior levels of a name, outermost first (`a/b/c` → `a`, `a/b`). */
export function superiorNames(name: string): string[] {
  const levels = name.split(FOLDER_DELIMITER);
  return levels.slice(1).map((_, i) => levels.slice(0, i + 1).join(FOLDER_DELIMITER));
}

/**
 * Creates those of `names` the user lacks (RFC 9051 §6.3.4: superior levels
 * a server needs are created with the name), each with a new UIDVALIDITY
 * from the sequence (migration 003). The names created.
 */
export async function createMissingFolders(db: Queryable, userId: string, names: readonly string[]): Promise<{ name: string; uidValidity: number }[]> {
  if (names.length === 0) return [];
  const { rows } = await db.query<{ name: string; uid_validity: string }>(
    `INSERT INTO mailboxes (user_id, name) SELECT $1, n FROM unnest($2::text[]) WITH ORDINALITY AS t(n, ord) ORDER BY ord
     ON CONFLICT (user_id, name) DO NOTHING RETURNING name, uid_validity`,
    [userId, names],
  );
  return rows.map((row) => ({ name: row.name, uidValidity: Number(row.uid_validity) }));
}
