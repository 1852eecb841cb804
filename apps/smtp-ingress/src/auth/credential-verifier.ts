/**
 * Password checks for AUTH, asked of mailbox-store (the owner of the
 * accounts) over `mail.v1.auth.verify`. The password crosses the bus only
 * inside this request; it is never logged. When the store cannot answer
 * in time the client gets 454 4.7.0 (RFC 4954 §6: temporary authentication
 * failure), never 535, so a good password is not reported as wrong.
 */
import { Requests } from '@mail/contracts';
import type { Bus } from '@mail/bus';
import { C454TempAuthFailure, EsSecurityOther, SmtpReplyError } from '@mail/smtp';

/** The refusal when the account store cannot answer: 454 4.7.0, not the client's fault. */
export function temporaryAuthFailure(cause: unknown): SmtpReplyError {
  return new SmtpReplyError(C454TempAuthFailure, EsSecurityOther, 'Temporary authentication failure, try again later', { cause, userFault: false });
}

/** Checks a user name and password. */
export interface CredentialVerifier {
  /**
   * The canonical address of the user, or undefined when the credentials
   * are wrong.
   *
   * @throws SmtpReplyError 454 4.7.0 when the store cannot answer.
   */
  verify(username: string, password: string): Promise<string | undefined>;
}

/** The verifier over the bus, with a deadline per check. */
export function busCredentialVerifier(bus: Bus, timeoutMs: number): CredentialVerifier {
  return {
    async verify(username, password) {
      let answer;
      try {
        answer = await bus.request(Requests.verifyCredentials, { version: 1, username, password }, timeoutMs);
      } catch (error) {
        throw temporaryAuthFailure(error);
      }
      return answer.ok ? answer.user : undefined;
    },
  };
}
