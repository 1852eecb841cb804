/** Payloads of maildrop access (POP3), answered by mailbox-store. */
import { z } from 'zod';
import { MailboxAddress } from './common';

export const MailboxEntry = z.object({
  /** Stable, unique per mailbox entry; also the POP3 UIDL (RFC 1939 §7: 1-70 chars 0x21-0x7E). */
  uid: z.string().regex(/^[!-~]{1,70}$/),
  /** Octets RETR sends before byte-stuffing (stored headers + body, CRLF). */
  size: z.number().int().nonnegative(),
  folder: z.string(),
  receivedAt: z.string(),
});
export type MailboxEntry = z.infer<typeof MailboxEntry>;

export const ListMailboxRequest = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  folders: z.array(z.string().min(1).max(100)).min(1).default(['INBOX']),
});
export const ListMailboxResponse = z.object({ entries: z.array(MailboxEntry) });

/** One chunk of a stored message; the caller asks for chunks until `eof`. */
export const FetchChunkRequest = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  uid: z.string().regex(/^[!-~]{1,70}$/),
  offset: z.number().int().nonnegative(),
  length: z
    .number()
    .int()
    .positive()
    .max(512 * 1024),
});
export const FetchChunkResponse = z.object({
  /** Base64 of the octets in [offset, offset+length). */
  data: z.string(),
  size: z.number().int().nonnegative(),
  eof: z.boolean(),
});

/** Most messages one fetchMessages request may name. */
export const FETCH_MESSAGES_MAX_UIDS = 256;
/** Most stored octets one fetchMessages reply carries (base64 makes it 4/3 larger; NATS's default max payload is 1 MiB). */
export const FETCH_MESSAGES_MAX_OCTETS = 512 * 1024;

/**
 * Several small messages whole, in one round trip: POP3 prefetches the
 * messages after the one RETR asked for. Only uids the user has an entry for
 * are answered, in the order asked, and only while their sizes add up to at
 * most `maxOctets`: the first message that would go over it ends the reply.
 */
export const FetchMessagesRequest = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  uids: z
    .array(z.string().regex(/^[!-~]{1,70}$/))
    .min(1)
    .max(FETCH_MESSAGES_MAX_UIDS),
  maxOctets: z.number().int().positive().max(FETCH_MESSAGES_MAX_OCTETS),
  /**
   * Ask for the answer in `packed` (one base64 string for all the messages,
   * one decoding instead of one per message) rather than in `messages`, which
   * is then empty. A mailbox-store older than this field ignores it and
   * answers in `messages`, so a requester must read both forms.
   */
  packed: z.boolean().optional(),
  /**
   * Ask for the answer in `attached`: the messages' octets as the reply's
   * attachment (raw octets after the JSON, no base64:
   * Requests.fetchMessages.attachment), their uids and sizes in the JSON.
   * A mailbox-store older than this field ignores it and answers as the
   * other fields ask, so a requester must read those forms too.
   */
  attachment: z.boolean().optional(),
});
export const FetchMessagesResponse = z.object({
  messages: z.array(
    z.object({
      uid: z.string(),
      /** Base64 of the whole stored message. */
      data: z.string(),
      size: z.number().int().nonnegative(),
    }),
  ),
  /** The answer when the request asked for `packed`. */
  packed: z
    .object({
      /** Base64 of the messages' stored octets one after the other, in the order of `messages`. */
      data: z.string(),
      /** The answered messages in order; `size` octets of `data` each. */
      messages: z.array(z.object({ uid: z.string(), size: z.number().int().nonnegative() })),
    })
    .optional(),
  /** The answer when the request asked for `attachment`: the messages in order, `size` octets of the attachment each. */
  attached: z
    .object({
      messages: z.array(z.object({ uid: z.string(), size: z.number().int().nonnegative() })),
    })
    .optional(),
});

/** Remove entries at the end of a POP3 session (RFC 1939 §6 UPDATE state), atomically. */
export const ExpungeRequest = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  uids: z.array(z.string().regex(/^[!-~]{1,70}$/)).max(100_000),
});
export const ExpungeResponse = z.object({ deleted: z.number().int().nonnegative() });
