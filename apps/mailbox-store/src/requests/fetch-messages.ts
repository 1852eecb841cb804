/** `mail.v1.mailbox.fetch-many`: several small messages whole, base64, in one reply (POP3 RETR prefetch). */
import type { Requests } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { readWholeMessages } from '../mailbox/maildrop';
import type { RequestHandler } from './request-handler';

export function fetchMessages(db: Queryable): RequestHandler<typeof Requests.fetchMessages> {
  return async ({ user, uids, maxOctets }) => {
    const messages = await readWholeMessages(db, user.toLowerCase(), uids, maxOctets);
    return { messages: messages.map((message) => ({ uid: message.uid, data: message.data.toString('base64'), size: message.size })) };
  };
}
