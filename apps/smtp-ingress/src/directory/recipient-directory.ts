/**
 * Who receives mail for an address: asks mailbox-store (the owner of the
 * accounts) over `mail.v1.directory.resolve` at RCPT time. A lookup that
 * fails or times out becomes 451 4.4.3, so the client retries later
 * (RFC 5321 §4.2.5: temporary failures get 4yz, never 5yz).
 */
import { Requests, type ResolveRecipientResponse } from '@mail/contracts';
import type { Bus } from '@mail/bus';
import { C451LocalError, SmtpReplyError } from '@mail/smtp';

/** RFC 3463 §3.5: X.4.3 Directory server failure. */
export const EsDirectoryFailure = '4.3';

/** The refusal when the directory cannot answer: 451 4.4.3, not the client's fault. */
export function directoryFailure(cause: unknown): SmtpReplyError {
  return new SmtpReplyError(C451LocalError, EsDirectoryFailure, 'Recipient lookup failed, try again later', { cause, userFault: false });
}

/** Recipient lookups. */
export interface RecipientDirectory {
  /** @throws SmtpReplyError 451 4.4.3 when the directory cannot answer. */
  resolve(address: string): Promise<ResolveRecipientResponse>;
}

/** The directory over the bus, with a deadline per lookup. */
export function busRecipientDirectory(bus: Bus, timeoutMs: number): RecipientDirectory {
  return {
    async resolve(address) {
      try {
        return await bus.request(Requests.resolveRecipient, { version: 1, address }, timeoutMs);
      } catch (error) {
        throw directoryFailure(error);
      }
    },
  };
}
