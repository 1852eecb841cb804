/**
 * `mail.v1.folders.create`: CREATE (RFC 9051 §6.3.4), with USE (RFC 6154
 * §3, CREATE-SPECIAL-USE), in one transaction with the user locked. The new
 * folder and any superior level it lacks get a UIDVALIDITY from the
 * sequence (migration 003): never one a deleted folder of the same name had.
 */
import { RemoteError } from '@mail/bus';
import type { MailboxChanged, Requests } from '@mail/contracts';
import type { Pool } from '../database/pool';
import { withTransaction } from '../database/transaction';
import { createMissingFolders, newFolderName, superiorNames } from '../imap/folder-names';
import { changeNotice, type ChangeNotifier } from '../mailbox/change-notices';
import { lockUser } from '../mailbox/user-lock';
import type { RequestHandler } from './request-handler';

export function createFolder(pool: Pool, notify: ChangeNotifier): RequestHandler<typeof Requests.createFolder> {
  return async ({ user, name: requested, specialUse }) => {
    const address = user.toLowerCase();
    const name = newFolderName(requested);
    const { response, notices } = await withTransaction(pool, async (client) => {
      const userId = await lockUser(client, address);
      // RFC 6154 §2: at most one folder of a user per attribute; §3: NO [USEATTR] otherwise.
      if (specialUse !== undefined) {
        const { rows } = await client.query<{ name: string }>('SELECT name FROM mailboxes WHERE user_id = $1 AND special_use = $2', [userId, specialUse]);
        if (rows[0] !== undefined) throw new RemoteError('special-use-taken', `${rows[0].name} is the ${specialUse} folder already`);
      }
      const superiors = await createMissingFolders(client, userId, superiorNames(name));
      // RFC 9051 §6.3.4: creating a name that exists is an error ([ALREADYEXISTS]).
      const { rows } = await client.query<{ uid_validity: string }>(
        `INSERT INTO mailboxes (user_id, name, special_use) VALUES ($1, $2, $3) ON CONFLICT (user_id, name) DO NOTHING RETURNING uid_validity`,
        [userId, name, specialUse ?? null],
      );
      const created = rows[0];
      if (created === undefined) throw new RemoteError('folder-exists', `folder ${name} exists already`);
      const uidValidity = Number(created.uid_validity);
      const notices: MailboxChanged[] = [...superiors, { name, uidValidity }].map((folder) =>
        changeNotice({ user: address, folder: folder.name, uidValidity: folder.uidValidity, modseq: 1 }, 'folder', []),
      );
      return { response: { name, uidValidity }, notices };
    });
    notify(notices);
    return response;
  };
}
