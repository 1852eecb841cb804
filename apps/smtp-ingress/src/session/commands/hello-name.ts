/**
 * Checks shared by HELO and EHLO on the name the client gives. The name is
 * not required to be valid or to match the client's address (RFC 5321
 * §4.1.4: "MUST NOT refuse to accept a message" for that reason); only its
 * length is limited, since it travels in the session facts.
 */
import { C501ParamSyntax, EsInvalidArguments, MAX_DOMAIN_OCTETS, SmtpReplyError } from '@mail/smtp';

/** Throws 501 5.5.4 when the HELO/EHLO argument is longer than a domain may be (RFC 5321 §4.5.3.1.2). */
export function checkHelloName(name: string): void {
  if (Buffer.byteLength(name) > MAX_DOMAIN_OCTETS) {
    throw new SmtpReplyError(C501ParamSyntax, EsInvalidArguments, `Syntax error: domain longer than ${MAX_DOMAIN_OCTETS} octets`);
  }
}
