/**
 * `mail.v1.auth.apop`: check an APOP digest (RFC 1939 §7) for a user. The
 * sealed secret is opened here, MD5(timestamp + secret) computed and compared
 * in constant time; the secret never leaves mailbox-store. Users without an
 * APOP secret, unknown users and wrong digests all answer `{ ok: false }`
 * after the same work.
 */
import { RemoteError } from '@mail/bus';
import type { Requests } from '@mail/contracts';
import { verifyApopDigest } from '@mail/pop3';
import { ApopSecretError, type ApopSecretCipher } from '../accounts/apop-secret';
import { findApopSecret } from '../accounts/users';
import type { Queryable } from '../database/pool';
import type { RequestHandler } from './request-handler';

/** Stands in for the secret of a user who has none, so every refusal costs the same. */
const dummySecret = 'no APOP secret for this user';

export function verifyApop(db: Queryable, cipher: ApopSecretCipher | undefined, log: { error(obj: object, msg: string): void }): RequestHandler<typeof Requests.verifyApop> {
  return async ({ username, timestamp, digest }) => {
    const user = await findApopSecret(db, username.toLowerCase());
    if (user === undefined || user.sealed === null) {
      verifyApopDigest(timestamp, dummySecret, digest);
      return { ok: false };
    }
    if (cipher === undefined) {
      log.error({ user: user.address }, 'APOP login for a user with a secret, but APOP_SECRET_KEY is not set');
      throw new RemoteError('apop-unavailable', 'APOP secrets cannot be checked: APOP_SECRET_KEY is not set');
    }
    let secret: string;
    try {
      secret = cipher.open(user.address, user.sealed);
    } catch (error) {
      if (!(error instanceof ApopSecretError)) throw error;
      log.error({ err: error, user: user.address }, 'cannot open the stored APOP secret');
      throw new RemoteError('apop-unavailable', 'the stored APOP secret cannot be opened; see the mailbox-store log', { cause: error });
    }
    return verifyApopDigest(timestamp, secret, digest) ? { ok: true, user: user.address } : { ok: false };
  };
}
