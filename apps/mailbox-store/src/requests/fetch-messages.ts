/**
 * `mail.v1.mailbox.fetch-many`: several small messages whole in one reply
 * (POP3 RETR prefetch). Asked for `attachment`, the messages' octets go out
 * one after the other as the reply's attachment (@mail/bus: raw octets after
 * the JSON, no base64), their uids and sizes in `attached`; asked for
 * `packed`, as one base64 string (one encoding per reply instead of one per
 * message); otherwise one base64 string per message, as before either field
 * existed.
 */
import { withAttachment, type AttachedReply } from '@mail/bus';
import type { RequestPayload, Requests, ResponsePayload } from '@mail/contracts';
import type { Queryable } from '../database/pool';
import { readWholeMessages, type WholeMessage } from '../mailbox/maildrop';

type FetchMessagesResponse = ResponsePayload<typeof Requests.fetchMessages>;

export function fetchMessages(db: Queryable): (request: RequestPayload<typeof Requests.fetchMessages>) => Promise<FetchMessagesResponse | AttachedReply<FetchMessagesResponse>> {
  return async ({ user, uids, maxOctets, packed, attachment }) => {
    const messages = await readWholeMessages(db, user.toLowerCase(), uids, maxOctets);
    if (attachment === true) return attachedReply(messages);
    return packed === true ? packedReply(messages) : { messages: messages.map((message) => ({ uid: message.uid, data: message.data.toString('base64'), size: message.size })) };
  };
}

/** The messages in the `attached` form: each one's uid and size in order in the JSON, their octets concatenated as the attachment. */
export function attachedReply(messages: readonly WholeMessage[]): AttachedReply<FetchMessagesResponse> {
  const octets = Buffer.concat(messages.map((message) => message.data));
  return withAttachment({ messages: [], attached: { messages: messages.map((message) => ({ uid: message.uid, size: message.data.length })) } }, octets);
}

/** The messages in the `packed` form: their octets concatenated, in base64, and each one's uid and size in order. */
export function packedReply(messages: readonly WholeMessage[]): FetchMessagesResponse {
  const data = Buffer.concat(messages.map((message) => message.data));
  return { messages: [], packed: { data: data.toString('base64'), messages: messages.map((message) => ({ uid: message.uid, size: message.data.length })) } };
}
