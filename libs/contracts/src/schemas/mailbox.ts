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
  length: z.number().int().positive().max(512 * 1024),
});
export const FetchChunkResponse = z.object({
  /** Base64 of the octets in [offset, offset+length). */
  data: z.string(),
  size: z.number().int().nonnegative(),
  eof: z.boolean(),
});

/** Remove entries at the end of a POP3 session (RFC 1939 §6 UPDATE state), atomically. */
export const ExpungeRequest = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  uids: z.array(z.string().regex(/^[!-~]{1,70}$/)).max(100_000),
});
export const ExpungeResponse = z.object({ deleted: z.number().int().nonnegative() });
