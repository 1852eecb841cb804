/**
 * `mail.v1.admin` (mailctl): account administration. A refusal travels back
 * as the bus's `{ ok: false, code, message }` reply (RemoteError), with codes
 * invalid-address, invalid-domain, invalid-alias, unknown-domain,
 * duplicate-domain, domain-in-use, unknown-user, duplicate-user,
 * unknown-alias, duplicate-alias, address-in-use, unknown-target,
 * apop-unavailable, unknown-message.
 */
import type { AdminRequest, AdminResponse, Requests } from '@mail/contracts';
import { RemoteError } from '@mail/bus';
import { AccountError } from '../accounts/account-error';
import type { ApopSecretCipher } from '../accounts/apop-secret';
import type { Pool } from '../database/pool';
import { administerAlias } from './admin-aliases';
import { administerDomain } from './admin-domains';
import { administerMessage, type PublishFeedback } from './admin-messages';
import { administerUserSetting } from './admin-user-settings';
import { administerUser } from './admin-users';
import type { RequestHandler } from './request-handler';

export interface AdminDeps {
  readonly pool: Pool;
  readonly log: { info(obj: object, msg: string): void };
  /** Seals APOP secrets; undefined when APOP_SECRET_KEY is not set. */
  readonly apopCipher: ApopSecretCipher | undefined;
  /** Publishes feedback.classified when message.move changes a message's folder. */
  readonly publishFeedback: PublishFeedback;
}

function administer(deps: AdminDeps, request: AdminRequest): Promise<AdminResponse> {
  switch (request.op) {
    case 'domain.add':
    case 'domain.remove':
    case 'domain.list':
      return administerDomain(deps.pool, request);
    case 'alias.add':
    case 'alias.remove':
    case 'alias.list':
      return administerAlias(deps.pool, request);
    case 'user.quota':
    case 'user.apop':
      return administerUserSetting(deps.pool, deps.apopCipher, request);
    case 'user.add':
    case 'user.passwd':
    case 'user.remove':
    case 'user.list':
      return administerUser(deps.pool, request);
    case 'message.list':
    case 'message.move':
      return administerMessage(deps.pool, deps.publishFeedback, request);
  }
}

export function admin(deps: AdminDeps): RequestHandler<typeof Requests.admin> {
  return async (request) => {
    try {
      const response = await administer(deps, request);
      // Never log the request itself: it may carry a password or an APOP secret.
      if (!request.op.endsWith('.list')) deps.log.info({ op: request.op }, response.message);
      return response;
    } catch (error) {
      if (error instanceof AccountError) throw new RemoteError(error.code, error.message, { cause: error });
      throw error;
    }
  };
}
