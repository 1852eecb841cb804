/** Payloads of the account directory, answered by mailbox-store (the owner of the accounts). */
import { z } from 'zod';
import { MailboxAddress } from './common';

/** Which mailbox, if any, receives mail for an address (RCPT TO checks). */
export const ResolveRecipientRequest = z.object({ version: z.literal(1), address: z.string().min(1).max(320) });
export const ResolveRecipientResponse = z.discriminatedUnion('result', [
  z.object({ result: z.literal('local'), mailboxes: z.array(MailboxAddress).min(1) }),
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
export const VerifyCredentialsResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), user: MailboxAddress }),
  z.object({ ok: z.literal(false) }),
]);
export type VerifyCredentialsResponse = z.infer<typeof VerifyCredentialsResponse>;
