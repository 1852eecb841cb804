/**
 * The lock order of every transaction that changes a user's folders: the
 * user's row first (FOR NO KEY UPDATE, as delivery takes it in
 * recipient-admission.ts), then folder rows, then entries. Changes of one
 * user are serialized, deliveries to several users lock them in id order,
 * and no two transactions wait on each other in a cycle.
 */
import type { Queryable } from '../database/pool';
import { RemoteError } from '@mail/bus';

/** Lock the user's row; its id. Throws RemoteError unknown-user. */
export async function lockUser(db: Queryable, address: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM users WHERE address = $1 FOR NO KEY UPDATE', [address]);
  const id = rows[0]?.id;
  if (id === undefined) throw new RemoteError('unknown-user', `user ${address} does not exist`);
  return String(id);
}
