/**
 * `mail.v1.auth.verify`: check a username (the full address, any case) and
 * password. Unknown users take as long as wrong passwords, so the answer
 * time does not reveal which accounts exist.
 */
import type { Requests } from '@mail/contracts';
import type { PasswordVerifier } from '../accounts/password';
import { findUser } from '../accounts/users';
import type { Queryable } from '../database/pool';
import type { RequestHandler } from './request-handler';

export function verifyCredentials(db: Queryable, verifier: PasswordVerifier): RequestHandler<typeof Requests.verifyCredentials> {
  return async ({ username, password }) => {
    const user = await findUser(db, username.toLowerCase());
    const ok = await verifier.verify(password, user?.passwordHash);
    return ok && user ? { ok: true, user: user.address } : { ok: false };
  };
}
