/**
 * Local checks of mailctl's arguments, so an obvious typo is reported at once
 * (exit 2) instead of after a round trip. mailbox-store checks again; these
 * rules mirror its account-address rules.
 */
import { DomainName } from '@mail/contracts';

/** RFC 5321 §4.1.2 Dot-string with UTF-8 atext (RFC 6531 §3.3); quoted local parts are not accepted. */
const dotString = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]+)*$/u;

/** Undefined when valid, else a one-line reason. */
export function domainProblem(input: string): string | undefined {
  return DomainName.safeParse(input).success ? undefined : `invalid domain ${JSON.stringify(input)}: expected a DNS name such as example.test`;
}

/** Undefined when valid, else a one-line reason. */
export function addressProblem(input: string): string | undefined {
  const at = input.lastIndexOf('@');
  const localPart = input.slice(0, Math.max(at, 0));
  const valid =
    at > 0 &&
    dotString.test(localPart) &&
    Buffer.byteLength(localPart, 'utf8') <= 64 && // RFC 5321 §4.5.3.1.1
    DomainName.safeParse(input.slice(at + 1)).success;
  return valid ? undefined : `invalid address ${JSON.stringify(input)}: expected local@domain such as bob@example.test`;
}
