/**
 * `mail.v1.folders.subscribe`: SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7,
 * §6.3.8). Subscriptions are names: one may name a folder that does not
 * exist (yet, or any more), and deleting a folder leaves them.
 */
import { RemoteError } from '@mail/bus';
import type { Requests } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { canonicalFolderName } from '../imap/folder-row';
import type { RequestHandler } from './request-handler';

export function subscribeFolder(db: Queryable): RequestHandler<typeof Requests.subscribeFolder> {
  return async ({ user, name, subscribed }) => {
    const address = user.toLowerCase();
    const folder = canonicalFolderName(name);
    const sql = subscribed
      ? `INSERT INTO mailbox_subscriptions (user_id, name) SELECT u.id, $2 FROM users u WHERE u.address = $1 ON CONFLICT (user_id, name) DO NOTHING RETURNING user_id`
      : `DELETE FROM mailbox_subscriptions s USING users u WHERE u.address = $1 AND s.user_id = u.id AND s.name = $2 RETURNING s.user_id`;
    const { rowCount } = await db.query(sql, [address, folder]);
    if ((rowCount ?? 0) > 0) return { changed: true };
    const { rowCount: users } = await db.query('SELECT 1 FROM users WHERE address = $1', [address]);
    if (users === 0) throw new RemoteError('unknown-user', `user ${user} does not exist`);
    return { changed: false };
  };
}
