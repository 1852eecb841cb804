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

/**
 * Largest body that travels inside the event instead of the object store:
 * small enough that the event (base64 adds a third) stays far below NATS's
 * default 1 MiB payload limit, large enough for most mail.
 */
export const INLINE_BODY_MAX_OCTETS = 64 * 1024;

/** Where a raw message body lives: in the JetStream object store, or (small bodies) inline. */
export const BodyReference = z.object({
  bucket: z.string().min(1),
  key: z.string().min(1),
  /** Octets exactly as received (CRLF line endings, dot-unstuffed). */
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * The body itself, base64, at most INLINE_BODY_MAX_OCTETS once decoded:
   * then nothing is stored under `key` (no object-store round trips to
   * write or read it). Readers go through the bus's BodyStore, which serves
   * both forms; absent on references to the object store.
   */
  inline: z
    .string()
    .max(Math.ceil(INLINE_BODY_MAX_OCTETS / 3) * 4)
    .regex(/^[A-Za-z0-9+/]*=*$/, 'inline must be base64')
    .optional(),
});
export type BodyReference = z.infer<typeof BodyReference>;
