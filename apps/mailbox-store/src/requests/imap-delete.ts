/**
 * `mail.v1.folders.delete`: DELETE (RFC 9051 §6.3.5) in one transaction with
 * the user locked, then the folder row, then its entries. The folder's
 * messages are expunged as EXPUNGE does (expunge-entries.ts: messages no
 * other entry holds are deleted, so the quota is released), and the folder
 * row goes with its tombstones. Inferior names are left as they are (§6.3.5
 * permits deleting a name that has them); subscriptions stay (§6.3.7).
 * INBOX cannot be deleted (§6.3.5), nor Junk (delivery files spam there).
 */
import { RemoteError } from '@mail/bus';
import type { Requests } from '@mail/contracts';
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { findFolder } from '../imap/folder-row';
import { changeNotice, type ChangeNotifier } from '../mailbox/change-notices';
import { expungeEntryIds } from '../mailbox/expunge-entries';
import { Folders } from '../mailbox/folders';
import { lockUser } from '../mailbox/user-lock';
import type { RequestHandler } from './request-handler';

/** Folders mail is filed into by name: never deleted or renamed away. */
export const protectedFolders: readonly string[] = [Folders.inbox, Folders.junk];

export function deleteFolder(pool: Pool, notify: ChangeNotifier): RequestHandler<typeof Requests.deleteFolder> {
  return async ({ user, name }) => {
    const address = user.toLowerCase();
    const { response, notices } = await withTransaction(pool, async (client) => {
      const userId = await lockUser(client, address);
      const folder = await findFolder(client, address, name);
      if (protectedFolders.includes(folder.name)) throw new RemoteError('folder-protected', `${folder.name} cannot be deleted`);
      await client.query('SELECT 1 FROM mailboxes WHERE id = $1 FOR UPDATE', [folder.id]);
      const { rows } = await client.query<{ id: string }>('SELECT id FROM mailbox_entries WHERE mailbox_id = $1', [folder.id]);
      const expunged = await expungeEntryIds(
        client,
        { id: userId, address },
        rows.map((row) => String(row.id)),
      );
      await client.query('DELETE FROM mailboxes WHERE id = $1', [folder.id]);
      const modseq = expunged.folders[0]?.modseq ?? folder.highestModseq;
      const gone = changeNotice({ user: address, folder: folder.name, uidValidity: folder.uidValidity, modseq }, 'folder', []);
      return { response: { deletedMessages: rows.length }, notices: [...expunged.notices, gone] };
    });
    notify(notices);
    return response;
  };
}
