/**
 * `mail.v1.directory.resolve`: does mail for this address stay here, and in
 * which mailboxes? Used at RCPT time. Users, aliases and catch-alls are
 * resolved by recipient-resolution.ts; mailboxes already full are named in
 * `overQuota`, so the SMTP session can still answer 552 5.2.2 (RFC 3463 §3.3).
 */
import type { Requests } from '@mail/contracts';
import { fullMailboxes } from '../accounts/quota';
import { resolveAddress } from '../accounts/recipient-resolution';
import type { Queryable } from '../database/pool';
import type { RequestHandler } from './request-handler';

export function resolveRecipient(db: Queryable): RequestHandler<typeof Requests.resolveRecipient> {
  return async ({ address }) => {
    const resolution = await resolveAddress(db, address);
    if (resolution.kind !== 'local') return { result: resolution.kind };
    const full = await fullMailboxes(db, resolution.mailboxes);
    return { result: 'local', mailboxes: resolution.mailboxes, ...(full.length > 0 ? { overQuota: full } : {}) };
  };
}
