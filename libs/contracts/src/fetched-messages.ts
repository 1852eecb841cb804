/**
 * The messages of a `mailbox.fetch-many` reply, whichever form mailbox-store
 * answered in (schemas/mailbox.ts): `attached` (the octets as the reply's
 * attachment), `packed` (one base64 string) or, from a mailbox-store older
 * than both, one base64 string per message. Each message is copied out of
 * the reply, so one a session keeps (a prefetch cache, a FETCH waiting to be
 * written) holds its own octets, not the whole reply's.
 */
import type { FetchMessagesResponse } from './schemas/mailbox';
import type { z } from 'zod';

/** A fetch-many reply that cannot be read: sizes that do not cover the octets, or an attachment announced and missing. */
export class FetchedMessagesError extends Error {
  override readonly name = 'FetchedMessagesError';
}

/** Uid → octets of every message of `response` (and its `attachment`, when it was asked for). */
export function fetchedMessages(response: z.infer<typeof FetchMessagesResponse>, attachment?: Uint8Array): Map<string, Buffer> {
  if (response.attached !== undefined) {
    if (attachment === undefined) throw new FetchedMessagesError('an attached reply without its attachment');
    return splitMessages(attachment, response.attached.messages);
  }
  if (response.packed !== undefined) return splitMessages(Buffer.from(response.packed.data, 'base64'), response.packed.messages);
  return new Map(response.messages.map((message) => [message.uid, Buffer.from(message.data, 'base64')]));
}

/** The octets of all, cut by the sizes in order, each message a copy of its own octets. */
export function splitMessages(data: Uint8Array, sizes: readonly { readonly uid: string; readonly size: number }[]): Map<string, Buffer> {
  const total = sizes.reduce((sum, { size }) => sum + size, 0);
  if (total !== data.length) throw new FetchedMessagesError(`a reply of ${data.length} octets announced ${total}`);
  const messages = new Map<string, Buffer>();
  let offset = 0;
  for (const { uid, size } of sizes) {
    messages.set(uid, Buffer.from(data.subarray(offset, offset + size)));
    offset += size;
  }
  return messages;
}
