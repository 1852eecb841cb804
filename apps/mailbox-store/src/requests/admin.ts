/**
 * `mail.v1.admin` (mailctl): account administration. A refusal travels back
 * as the bus's `{ ok: false, code, message }` reply (RemoteError), with codes
 * invalid-address, invalid-domain, invalid-alias, unknown-domain,
 * duplicate-domain, domain-in-use, unknown-user, duplicate-user,
 * unknown-alias, duplicate-alias, address-in-use, unknown-target,
 * apop-unavailable, unknown-message. A change RCPT sees (domains, users,
 * quotas, aliases) is published to the directory replica before the reply.
 */
import type { AdminRequest, AdminResponse, Requests } from '@mail/contracts';
import { RemoteError } from '@mail/bus';
import { normalizeDomain, parseAccountAddress } from '../accounts/account-address';
import { AccountError } from '../accounts/account-error';
import { parseAliasAddress } from '../accounts/alias-address';
import type { DirectoryChange, DirectoryPublication } from '../accounts/directory-publication';
import type { ApopSecretCipher } from '../accounts/apop-secret';
import type { Pool } from '../database/pool';
import { administerAlias } from './admin-aliases';
import { administerDomain } from './admin-domains';
import type { ChangeNotifier } from '../mailbox/change-notices';
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
  /** Tells IMAP sessions of a message.move once committed (mailbox.changed); none by default. */
  readonly notify?: ChangeNotifier;
  /** The directory replica's writer; undefined publishes nothing (tests of the tables alone). */
  readonly directory?: DirectoryPublication;
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
      return administerMessage(deps.pool, deps.publishFeedback, request, deps.notify);
  }
}

/** The directory keys `request` touches, read before it runs; undefined when RCPT sees no difference (or the names are invalid: the request fails). */
async function directoryChangeOf(directory: DirectoryPublication, request: AdminRequest): Promise<DirectoryChange | undefined> {
  switch (request.op) {
    case 'domain.add':
    case 'domain.remove': {
      const domain = normalizeDomain(request.domain);
      if (domain === undefined) return undefined;
      return { domains: [domain], addresses: request.op === 'domain.remove' ? await directory.alsoTouched('domain.remove', domain) : [] };
    }
    case 'user.add':
    case 'user.quota':
    case 'user.remove': {
      const address = parseAccountAddress(request.address)?.address;
      if (address === undefined) return undefined;
      return { domains: [], addresses: [address, ...(request.op === 'user.remove' ? await directory.alsoTouched('user.remove', address) : [])] };
    }
    case 'alias.add':
    case 'alias.remove': {
      const alias = parseAliasAddress(request.address);
      return alias && { domains: [], addresses: [alias.address] };
    }
    default:
      return undefined;
  }
}

export function admin(deps: AdminDeps): RequestHandler<typeof Requests.admin> {
  return async (request) => {
    try {
      const change = deps.directory && (await directoryChangeOf(deps.directory, request));
      const response = await administer(deps, request);
      if (change !== undefined) await deps.directory?.publish(change);
      // Never log the request itself: it may carry a password or an APOP secret.
      if (!request.op.endsWith('.list')) deps.log.info({ op: request.op }, response.message);
      return response;
    } catch (error) {
      if (error instanceof AccountError) throw new RemoteError(error.code, error.message, { cause: error });
      throw error;
    }
  };
}
