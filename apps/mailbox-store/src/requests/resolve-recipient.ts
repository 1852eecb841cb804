/**
 * `mail.v1.directory.resolve`: does mail for this address stay here? Used at
 * RCPT time. Domain and local part are compared case-insensitively.
 */
import type { Requests } from '@mail/contracts';
import { findDomainId } from '../accounts/domains';
import { findUser } from '../accounts/users';
import type { Queryable } from '../database/pool';
import type { RequestHandler } from './request-handler';

export function resolveRecipient(db: Queryable): RequestHandler<typeof Requests.resolveRecipient> {
  return async ({ address }) => {
    const at = address.lastIndexOf('@');
    const domain = address.slice(at + 1).toLowerCase();
    if (at <= 0 || (await findDomainId(db, domain)) === undefined) return { result: 'not-local-domain' };
    const user = await findUser(db, address.toLowerCase());
    if (!user) return { result: 'unknown-user' };
    return { result: 'local', mailboxes: [user.address] };
  };
}
