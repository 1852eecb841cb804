/**
 * `spam.screen`: smtp-ingress asks, during the SMTP session (at connection
 * or RCPT time), whether a client may deliver at all. Answered from the
 * DNSBL checks (Redis cache first, zones asked in parallel) within
 * SPAM_SCREEN_TIMEOUT — zones that have not answered by then do not count,
 * the listings already in do — and a client whose DNSBL score reaches
 * SPAM_REJECT_SCORE is refused with Postfix's wording naming the lists, so
 * its operator can look the listing up. The allow-lists win (a sender
 * match is verified again after DATA with SPF and DMARC), and no answer in
 * time means accept (fail open). Each answer says how long it holds (the
 * least remaining DNS TTL of the list answers behind it, RFC 5782 §2.1:
 * ordinary DNS records), so smtp-ingress can reuse it for the client IP;
 * an answer missing a zone holds for no time.
 */
import type { Requests, ResponsePayload, RequestPayload } from '@mail/contracts';
import { allowListMatch, type AllowList } from '../allow/allow-list';
import { unmappedAddress, type DnsblChecker, type DnsblOutcome } from '../dnsbl/dnsbl-checker';
import { dnsblReasons } from '../verdict/dns-list-reasons';
import type { RuleScores } from '../verdict/rule-scores';

type ScreenRequest = RequestPayload<typeof Requests.screenClient>;
type ScreenResponse = ResponsePayload<typeof Requests.screenClient>;

export interface ScreenDependencies {
  readonly dnsbl: Pick<DnsblChecker, 'check'>;
  readonly allowList: AllowList;
  readonly rejectScore: number;
  readonly timeoutMs: number;
  readonly scores: RuleScores;
  onScreen?(response: ScreenResponse, clientIp: string): void;
}

/** RFC 5321 §4.2.2 leaves the text free; this is the form Postfix's reject_rbl_client uses. */
export function rejectText(ip: string, outcome: DnsblOutcome): string {
  const zones = outcome.results
    .filter((r) => r.listed)
    .sort((a, b) => b.weight - a.weight)
    .map((r) => r.zone);
  return `Service unavailable; client [${ip}] blocked using ${zones.join(', ')}`.slice(0, 400);
}

/** Answers that rest on no DNS list (allow-listed client address, private address, no zones): configuration, reused for 5 minutes. */
const settledTtlSeconds = 300;

/** The least remaining TTL of the zones' answers; 0 when one has none (no answer, out of use, cached without one). */
export function answerTtlSeconds(outcome: DnsblOutcome, now = Date.now()): number {
  if (outcome.skipped !== undefined) return settledTtlSeconds;
  let expiresAt = Infinity;
  for (const result of outcome.results) expiresAt = Math.min(expiresAt, result.error === undefined ? (result.expiresAt ?? 0) : 0);
  return expiresAt === Infinity ? 0 : Math.max(0, Math.min(86_400, Math.floor((expiresAt - now) / 1000)));
}

export function createScreenHandler(deps: ScreenDependencies): (request: ScreenRequest) => Promise<ScreenResponse> {
  return async (request) => {
    const ip = unmappedAddress(request.clientIp);
    const response = await screen(deps, ip, request.mailFrom);
    deps.onScreen?.(response, ip);
    return response;
  };
}

async function screen(deps: ScreenDependencies, ip: string, mailFrom: string | undefined): Promise<ScreenResponse> {
  const allowed = allowListMatch(deps.allowList, { clientIp: ip, ...(mailFrom ? { mailFrom } : {}) });
  // An allow-listed address holds as long as the configuration; a sender match holds for that sender only
  const allowedTtl = mailFrom === undefined ? { ttlSeconds: settledTtlSeconds } : {};
  if (allowed) return { action: 'accept', score: deps.scores.ALLOWLISTED, reasons: [{ rule: 'ALLOWLISTED', score: deps.scores.ALLOWLISTED, detail: allowed }], ...allowedTtl };
  const outcome = await deps.dnsbl.check(ip, deps.timeoutMs);
  const reasons = dnsblReasons(ip, outcome, deps.scores.DNSBL_UNCHECKED);
  const ttlSeconds = answerTtlSeconds(outcome);
  if (outcome.score >= deps.rejectScore && outcome.results.some((r) => r.listed)) return { action: 'reject', score: outcome.score, reasons, text: rejectText(ip, outcome), ttlSeconds };
  return { action: 'accept', score: outcome.score, reasons, ttlSeconds };
}
