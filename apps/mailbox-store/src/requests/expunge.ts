/**
 * `mail.v1.mailbox.expunge`: delete the listed entries of a user atomically
 * (POP3 UPDATE state, RFC 1939 §6). Unknown uids are ignored, so a retried
 * expunge is harmless; the reply counts what this call deleted. IMAP
 * sessions see the expunge (tombstones, modseq, mailbox.changed).
 */
import type { Requests } from '@mail/contracts';
import type { Pool } from '../database/pool';
import type { ChangeNotifier } from '../mailbox/change-notices';
import { expungeEntries } from '../mailbox/maildrop';
import type { RequestHandler } from './request-handler';

export function expunge(pool: Pool, notify: ChangeNotifier): RequestHandler<typeof Requests.expunge> {
  return async ({ user, uids }) => ({ deleted: await expungeEntries(pool, user.toLowerCase(), uids, notify) });
}
