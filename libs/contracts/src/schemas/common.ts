/** Building blocks shared by the payload schemas. */
import { z } from 'zod';

/** Queue id of a message: assigned by smtp-ingress, unique, URL-safe. */
export const QueueId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'queue id must be 8-64 URL-safe characters');

/** An RFC 5321 mailbox `local@domain` as it travels between services (UTF-8 allowed, RFC 6531). */
export const MailboxAddress = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^\s<>@]+@[^\s<>@]+$/, 'address must look like local@domain with no spaces or brackets');

/** The reverse-path: a mailbox, or the empty string for the null sender `<>`. */
export const ReversePath = z.union([z.literal(''), MailboxAddress]);

export const IsoTimestamp = z.iso.datetime({ offset: true });

/** A header field the pipeline wants prepended to the stored message. */
export const HeaderField = z.object({
  name: z.string().regex(/^[!-9;-~]+$/, 'header name must be printable ASCII without colon'),
  value: z.string().refine((v) => !/[\r\n]/.test(v) || /\r\n[ \t]/.test(v), 'header value may only contain folded line breaks'),
});
export type HeaderField = z.infer<typeof HeaderField>;

/** Where a raw message body lives in the JetStream object store. */
export const BodyReference = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  /** Octets exactly as received (CRLF line endings, dot-unstuffed). */
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BodyReference = z.infer<typeof BodyReference>;
