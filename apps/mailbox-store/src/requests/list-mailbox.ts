/** `mail.v1.mailbox.list`: a user's entries in the asked folders (POP3 STAT/LIST/UIDL). */
import type { Requests } from '@mail/contracts';
import { RemoteError } from '@mail/bus';
import { findUser } from '../accounts/users';
import type { Queryable } from '../database/pool';
import { listEntries } from '../mailbox/maildrop';
import type { RequestHandler } from './request-handler';

export function listMailbox(db: Queryable): RequestHandler<typeof Requests.listMailbox> {
  return async ({ user, folders }) => {
    const address = user.toLowerCase();
    if (!(await findUser(db, address))) throw new RemoteError('unknown-user', `user ${user} does not exist`);
    const entries = await listEntries(db, address, folders);
    return {
      entries: entries.map((entry) => ({ uid: entry.uid, size: entry.size, folder: entry.folder, receivedAt: entry.receivedAt.toISOString() })),
    };
  };
}
