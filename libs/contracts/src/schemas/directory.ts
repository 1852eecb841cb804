/** Payloads of the account directory, answered by mailbox-store (the owner of the accounts). */
import { z } from 'zod';
import { MailboxAddress } from './common';

/** Which mailbox, if any, receives mail for an address (RCPT TO checks). */
export const ResolveRecipientRequest = z.object({ version: z.literal(1), address: z.string().min(1).max(320) });
export const ResolveRecipientResponse = z.discriminatedUnion('result', [
  z.object({
    result: z.literal('local'),
    mailboxes: z.array(MailboxAddress).min(1),
    /**
     * Those of `mailboxes` that are full (quota reached). When every mailbox
     * is full the sender should get 552 5.2.2 at RCPT (RFC 3463 §3.3);
     * mailbox-store rejects delivery to a full mailbox either way.
     */
    overQuota: z.array(MailboxAddress).optional(),
  }),
  z.object({ result: z.literal('unknown-user') }),
  z.object({ result: z.literal('not-local-domain') }),
]);
export type ResolveRecipientResponse = z.infer<typeof ResolveRecipientResponse>;

/** Check a user's password (SMTP AUTH, POP3 USER/PASS). The password never leaves this exchange. */
export const VerifyCredentialsRequest = z.object({
  version: z.literal(1),
  username: z.string().min(1).max(320),
  password: z.string().max(1024),
});
export const VerifyCredentialsResponse = z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), user: MailboxAddress }), z.object({ ok: z.literal(false) })]);
export type VerifyCredentialsResponse = z.infer<typeof VerifyCredentialsResponse>;

/**
 * APOP (RFC 1939 §7): does `digest` equal MD5(timestamp + the user's APOP
 * secret)? mailbox-store computes and compares; the secret never leaves it.
 * `timestamp` is the one pop3-server put in this session's greeting.
 */
export const VerifyApopRequest = z.object({
  version: z.literal(1),
  username: z.string().min(1).max(320),
  /** RFC 1939 §7: msg-id syntax, angle brackets included. */
  timestamp: z
    .string()
    .regex(/^<[!-;=?-~]+@[!-;=?-~]+>$/)
    .max(255),
  digest: z.string().regex(/^[0-9a-fA-F]{32}$/),
});
export const VerifyApopResponse = VerifyCredentialsResponse;
export type VerifyApopResponse = z.infer<typeof VerifyApopResponse>;
