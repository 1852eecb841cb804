/**
 * `mail.v1.mailbox.fetch-many`: several small messages whole in one reply
 * (POP3 RETR prefetch). Asked for `packed`, the messages' octets go out one
 * after the other as one base64 string (one encoding per reply instead of
 * one per message, and as much less to decode at the other end); otherwise
 * one base64 string per message, as before the field existed.
 */
import type { Requests, ResponsePayload } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { readWholeMessages, type WholeMessage } from '../mailbox/maildrop';
import type { RequestHandler } from './request-handler';

type FetchMessagesResponse = ResponsePayload<typeof Requests.fetchMessages>;

export function fetchMessages(db: Queryable): RequestHandler<typeof Requests.fetchMessages> {
  return async ({ user, uids, maxOctets, packed }) => {
    const messages = await readWholeMessages(db, user.toLowerCase(), uids, maxOctets);
    return packed === true ? packedReply(messages) : { messages: messages.map((message) => ({ uid: message.uid, data: message.data.toString('base64'), size: message.size })) };
  };
}

/** The messages in the `packed` form: their octets concatenated, in base64, and each one's uid and size in order. */
export function packedReply(messages: readonly WholeMessage[]): FetchMessagesResponse {
  const data = Buffer.concat(messages.map((message) => message.data));
  return { messages: [], packed: { data: data.toString('base64'), messages: messages.map((message) => ({ uid: message.uid, size: message.data.length })) } };
}
