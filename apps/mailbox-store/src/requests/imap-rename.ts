/**
 * `mail.v1.folders.rename`: RENAME (RFC 9051 §6.3.6) in one transaction with
 * the user locked, then the folder rows. The folder and its inferior names
 * take the new name, keeping their UIDs, UIDVALIDITY, tombstones and
 * special-use attribute (RFC 9051 §2.3.1.1 asks for a new UIDVALIDITY only
 * when UIDs cannot be kept; a folder created later under the old name gets
 * a new one from the sequence). Renaming INBOX moves its messages into a
 * new folder of that name and leaves INBOX, and its inferior names, in
 * place. Junk keeps its name (delivery files spam there).
 */
import { RemoteError } from '@mail/bus';
import type { MailboxChanged, Requests } from '@mail/contracts';
import type { Pool, PoolClient } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { createMissingFolders, newFolderName, superiorNames } from '../imap/folder-names';
import { findFolder, type FolderRow } from '../imap/folder-row';
import { changeNotice, type ChangeNotifier } from '../mailbox/change-notices';
import { Folders } from '../mailbox/folders';
import { lockUser } from '../mailbox/user-lock';
import type { RequestHandler } from './request-handler';

type Renamed = { from: string; to: string }[];
type Change = { user: string; folder: string; uidValidity: number; modseq: number };

export function renameFolder(pool: Pool, notify: ChangeNotifier): RequestHandler<typeof Requests.renameFolder> {
  return async ({ user, from, to: requested }) => {
    const address = user.toLowerCase();
    const to = newFolderName(requested);
    const { response, notices } = await withTransaction(pool, async (client) => {
      const userId = await lockUser(client, address);
      const source = await findFolder(client, address, from);
      if (source.name === Folders.junk) throw new RemoteError('folder-protected', `${source.name} keeps its name`);
      if (to.startsWith(`${source.name}/`) && source.name !== Folders.inbox) throw new RemoteError('invalid-folder', `${source.name} cannot move under itself`);
      const created = await createMissingFolders(client, userId, superiorNames(to));
      const renamed = source.name === Folders.inbox ? await renameInbox(client, address, source, to) : await renameTree(client, { id: userId, address }, source, to);
      const added = created.map((folder) => changeNotice({ user: address, folder: folder.name, uidValidity: folder.uidValidity, modseq: 1 }, 'folder', []));
      return { response: { renamed: renamed.renamed }, notices: [...added, ...renamed.notices] };
    });
    notify(notices);
    return response;
  };
}

/** The folder and its inferior names renamed (RFC 9051 §6.3.6: inferior names are renamed too). */
async function renameTree(client: PoolClient, user: { readonly id: string; readonly address: string }, source: FolderRow, to: string): Promise<{ renamed: Renamed; notices: MailboxChanged[] }> {
  const { rows } = await client.query<{ id: string; name: string; uid_validity: string; highest_modseq: string }>(
    `SELECT id, name, uid_validity, highest_modseq FROM mailboxes WHERE user_id = $1 AND (name = $2 OR starts_with(name, $2 || '/')) ORDER BY name FOR UPDATE`,
    [user.id, source.name],
  );
  const renamed = rows.map((row) => ({ from: row.name, to: to + row.name.slice(source.name.length) }));
  // RFC 9051 §6.3.6: renaming to a name that exists is an error ([ALREADYEXISTS]).
  const taken = await client.query<{ name: string }>('SELECT name FROM mailboxes WHERE user_id = $1 AND name = ANY($2::text[]) LIMIT 1', [user.id, renamed.map((pair) => pair.to)]);
  if (taken.rows[0] !== undefined) throw new RemoteError('folder-exists', `folder ${taken.rows[0].name} exists already`);
  const ids = rows.map((row) => String(row.id));
  // Two steps: a new name may be the old name of another folder of the tree (a/b → a with a/b/b).
  await client.query(`UPDATE mailboxes SET name = chr(1) || id::text WHERE id = ANY($1::bigint[])`, [ids]);
  await client.query(`UPDATE mailboxes m SET name = n.name FROM unnest($1::bigint[], $2::text[]) AS n(id, name) WHERE m.id = n.id`, [ids, renamed.map((pair) => pair.to)]);
  const notices = rows.flatMap((row, i) => {
    const change = (folder: string): Change => ({ user: user.address, folder, uidValidity: Number(row.uid_validity), modseq: Number(row.highest_modseq) });
    return [change(row.name), change((renamed[i] as Renamed[number]).to)];
  });
  return { renamed, notices: notices.map((change) => changeNotice(change, 'folder', [])) };
}

/**
 * RFC 9051 §6.3.6: renaming INBOX moves every message into a new folder of
 * the new name and leaves INBOX empty. The new folder has a new UIDVALIDITY,
 * so its messages keep their UIDs (uid_next follows them); INBOX keeps its
 * UIDVALIDITY and uid_next, and records the UIDs as expunged.
 */
async function renameInbox(client: PoolClient, address: string, inbox: FolderRow, to: string): Promise<{ renamed: Renamed; notices: MailboxChanged[] }> {
  const bumped = await findFolder(client, address, Folders.inbox, { bumpModseq: true });
  const { rows: created } = await client.query<{ id: string; uid_validity: string }>(
    `INSERT INTO mailboxes (user_id, name, uid_next) VALUES ($1, $2, $3) ON CONFLICT (user_id, name) DO NOTHING RETURNING id, uid_validity`,
    [inbox.userId, to, bumped.uidNext],
  );
  const target = created[0];
  if (target === undefined) throw new RemoteError('folder-exists', `folder ${to} exists already`);
  const { rows } = await client.query<{ imap_uid: string }>(`UPDATE mailbox_entries SET mailbox_id = $2, modseq = 1 WHERE mailbox_id = $1 RETURNING imap_uid`, [inbox.id, target.id]);
  const uids = rows.map((row) => Number(row.imap_uid)).sort((a, b) => a - b);
  await client.query(
    `INSERT INTO expunged_entries (mailbox_id, imap_uid, modseq) SELECT $1, unnest($2::bigint[]), $3
     ON CONFLICT (mailbox_id, imap_uid) DO UPDATE SET modseq = excluded.modseq, expunged_at = now()`,
    [inbox.id, uids, bumped.highestModseq],
  );
  const notices = [
    changeNotice({ user: address, folder: Folders.inbox, uidValidity: inbox.uidValidity, modseq: bumped.highestModseq }, 'expunged', uids),
    changeNotice({ user: address, folder: to, uidValidity: Number(target.uid_validity), modseq: 1 }, 'folder', []),
  ];
  return { renamed: [{ from: Folders.inbox, to }], notices };
}
