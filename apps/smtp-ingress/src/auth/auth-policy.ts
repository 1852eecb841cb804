/**
 * When AUTH is offered (RFC 4954): only on the submission listeners (the
 * inbound MX listener has no users to authenticate, RFC 6409 §4.3), and
 * only over TLS, so passwords never cross the network in clear text
 * (RFC 4954 §4 and §14: PLAIN and LOGIN need a protected channel). For
 * development, SUBMISSION_ALLOW_PLAINTEXT_AUTH=true also offers it without
 * TLS — to clients on the loopback interface only.
 */
import { isIPv4 } from '@mail/smtp';
import { isSubmissionListener, type SessionState } from '../session/session-state';

/** The SASL mechanisms offered, in EHLO order (RFC 4954 §3). */
export const AUTH_MECHANISMS = ['PLAIN', 'LOGIN'] as const;
export type AuthMechanism = (typeof AUTH_MECHANISMS)[number];

/** Whether AUTH can be used now: `offered`, `needs-tls` (538 5.7.11) or `not-offered` (502). */
export type AuthAvailability = 'offered' | 'needs-tls' | 'not-offered';

/** RFC 1122 §3.2.1.3 127.0.0.0/8 and RFC 4291 §2.5.3 ::1. */
export function isLoopback(ip: string): boolean {
  if (isIPv4(ip)) return ip.startsWith('127.');
  return ip === '::1';
}

/** AUTH's availability in this session; `allowPlaintext` is SUBMISSION_ALLOW_PLAINTEXT_AUTH. */
export function authAvailability(state: SessionState, allowPlaintext: boolean): AuthAvailability {
  if (!isSubmissionListener(state.listener)) return 'not-offered';
  if (state.tls) return 'offered';
  return allowPlaintext && isLoopback(state.clientIp) ? 'offered' : 'needs-tls';
}

/** The mechanism if this server implements it. */
export function authMechanism(name: string): AuthMechanism | undefined {
  return AUTH_MECHANISMS.find((mechanism) => mechanism === name.toUpperCase());
}
