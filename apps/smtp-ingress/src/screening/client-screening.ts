/**
 * Connection screening: once per inbound connection, as soon as the real
 * client IP is known (after a PROXY header), smtp-ingress asks spam-filter
 * over `mail.v1.spam.screen` whether the client is listed on a DNSBL above
 * the reject threshold. The question runs while the greeting pause runs;
 * its answer is awaited only at RCPT.
 *
 * Policy, after Postfix postscreen's `dnsbl_action = enforce`: a rejected
 * client still gets its session, but every RCPT is answered `554 5.7.1
 * <the list's text>` (RFC 5321 §4.2.3, RFC 3463 X.7.1 delivery not
 * authorized), so the log names its HELO, sender and recipients, and a
 * legitimate sender sees the reason in its bounce. No answer within the
 * deadline, or an error, means accept (fail open: DNSBL trouble never stops
 * mail), logged and counted. Answers are reused per client IP for their
 * DNS TTL (screening-cache.ts). Submission is not screened: its clients
 * authenticate, and end-user address ranges are what policy block lists
 * (such as Spamhaus PBL) list.
 */
import { Requests, type ScreenClientResponse } from '@mail/contracts';
import type { Bus } from '@mail/bus';

/** The verdict a session acts on; `ttlSeconds`: how long spam-filter says it holds for the client IP (screening-cache.ts). */
export type ScreenOutcome =
  | { readonly action: 'accept'; readonly ttlSeconds?: number }
  | { readonly action: 'reject'; readonly text: string; readonly reasons: ScreenClientResponse['reasons']; readonly ttlSeconds?: number }
  /** No answer in time, or an error: treated as accept. */
  | { readonly action: 'unavailable'; readonly error: Error };

/** Screening of client IPs. */
export interface ClientScreening {
  /** Never rejects. */
  screen(clientIp: string): Promise<ScreenOutcome>;
}

/** Used when spam-filter sends no text of its own. */
export const DEFAULT_REJECT_TEXT = 'Service unavailable; client host blocked using a DNS block list';

/** Screening over the bus with a deadline. */
export function busClientScreening(bus: Bus, timeoutMs: number): ClientScreening {
  return {
    async screen(clientIp) {
      try {
        const answer = await bus.request(Requests.screenClient, { version: 1, clientIp }, timeoutMs);
        const ttl = answer.ttlSeconds === undefined ? {} : { ttlSeconds: answer.ttlSeconds };
        if (answer.action === 'accept') return { action: 'accept', ...ttl };
        return { action: 'reject', text: answer.text ?? DEFAULT_REJECT_TEXT, reasons: answer.reasons, ...ttl };
      } catch (error) {
        return { action: 'unavailable', error: error as Error };
      }
    },
  };
}

/** No screening (submission, SMTP_SCREEN_TIMEOUT=0, unit tests). */
export const noScreening: ClientScreening = { screen: async () => ({ action: 'accept' }) };
