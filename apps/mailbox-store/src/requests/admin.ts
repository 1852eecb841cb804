/**
 * `mail.v1.admin` (mailctl): account administration. A refusal travels back
 * as the bus's `{ ok: false, code, message }` reply (RemoteError), with codes
 * invalid-address, invalid-domain, unknown-domain, duplicate-domain,
 * domain-in-use, unknown-user, duplicate-user.
 */
import type { AdminRequest, Requests } from '@mail/contracts';
import { RemoteError } from '@mail/bus';
import { AccountError } from '../accounts/account-error';
import type { Pool } from '../database/pool';
import { administerDomain, type DomainRequest } from './admin-domains';
import { administerUser } from './admin-users';
import type { RequestHandler } from './request-handler';

function isDomainRequest(request: AdminRequest): request is DomainRequest {
  return request.op.startsWith('domain.');
}

export function admin(pool: Pool, log: { info(obj: object, msg: string): void }): RequestHandler<typeof Requests.admin> {
  return async (request) => {
    try {
      const response = isDomainRequest(request) ? await administerDomain(pool, request) : await administerUser(pool, request);
      // Never log the request itself: it may carry a password.
      if (!request.op.endsWith('.list')) log.info({ op: request.op }, response.message);
      return response;
    } catch (error) {
      if (error instanceof AccountError) throw new RemoteError(error.code, error.message, { cause: error });
      throw error;
    }
  };
}
