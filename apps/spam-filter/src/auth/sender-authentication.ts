/**
 * SPF (RFC 7208), DKIM (RFC 6376) and DMARC (RFC 7489, RFC 9989) of an
 * inbound message, verified by mailauth through our DNS resolver, reported
 * in an Authentication-Results: field (RFC 8601, authserv-id MAIL_HOSTNAME)
 * and turned into rules (rule-scores.ts). Results that mean "could not
 * tell" (none, temperror) score nothing; a verification that does not
 * finish in time yields AUTH_UNCHECKED and no field (fail open).
 */
import type { Readable } from 'node:stream';
import type { AuthenticateOptions, AuthenticateResult, DNSResolver } from 'mailauth';
import type { VerdictReason } from '@mail/contracts';
import type { RuleName, RuleScores } from '../verdict/rule-scores';
import type { MailauthResolver } from './mailauth-resolver';

export interface SessionIdentity {
  readonly clientIp: string;
  readonly helo: string;
  /** MAIL FROM; '' for the null sender (RFC 7208 §2.4 then checks postmaster@HELO). */
  readonly mailFrom: string;
}

export interface AuthenticationOutcome {
  /** The Authentication-Results: value; absent when verification did not finish. */
  readonly header?: string;
  readonly reasons: VerdictReason[];
  /** SPF failed for the envelope sender: the MAIL FROM domain is forged. */
  readonly spfFailed: boolean;
  /** DMARC failed for the From: domain: the author domain is forged. */
  readonly dmarcFailed: boolean;
}

export interface AuthenticatorOptions {
  readonly resolver: MailauthResolver;
  /** authserv-id (RFC 8601 §2.5): MAIL_HOSTNAME. */
  readonly hostname: string;
  readonly timeoutMs: number;
  readonly scores: RuleScores;
}

/**
 * Largest header section handed to mailauth. Its header parsing is
 * synchronous: a crafted section (a 1 MiB folded field, 20,000 fields,
 * 10,000 addresses) held the event loop for 150–350 ms. RFC 5322 sets no
 * limit; real header sections are a few kilobytes (Postfix keeps 100 KiB
 * per field, header_size_limit). A larger one gets SPF only, and
 * AUTH_UNCHECKED for DKIM and DMARC.
 */
export const AUTH_MAX_HEADER_OCTETS = 64 * 1024;

/** The header section (RFC 5322 §2.1: up to and including the first empty line) is at most AUTH_MAX_HEADER_OCTETS octets of `prefix`; `complete` when `prefix` is the whole message. */
export function headerSectionFits(prefix: Buffer, complete: boolean): boolean {
  if (prefix.subarray(0, AUTH_MAX_HEADER_OCTETS).indexOf('\r\n\r\n') >= 0) return true;
  return complete && prefix.length <= AUTH_MAX_HEADER_OCTETS;
}

/** SPF alone (an empty message leaves DKIM and DMARC nothing to verify), for a header section over the limit. */
export async function authenticateEnvelopeOnly(identity: SessionIdentity, options: AuthenticatorOptions): Promise<AuthenticationOutcome> {
  const outcome = await authenticateSender(Buffer.from('\r\n'), identity, options);
  const detail = `header section over ${AUTH_MAX_HEADER_OCTETS} octets: DKIM and DMARC not checked`;
  return { ...outcome, reasons: [...outcome.reasons, rule('AUTH_UNCHECKED', options.scores, detail)] };
}

const spfRules: Partial<Record<string, RuleName>> = { pass: 'SPF_PASS', fail: 'SPF_FAIL', softfail: 'SPF_SOFTFAIL', neutral: 'SPF_NEUTRAL', permerror: 'SPF_PERMERROR' };
const dmarcFailRules: Record<string, RuleName> = { reject: 'DMARC_FAIL_REJECT', quarantine: 'DMARC_FAIL_QUARANTINE', none: 'DMARC_FAIL_NONE' };

export async function authenticateSender(message: Buffer | Readable, identity: SessionIdentity, options: AuthenticatorOptions): Promise<AuthenticationOutcome> {
  const settings: AuthenticateOptions & { maxElapsedTime: number } = {
    ip: identity.clientIp,
    helo: identity.helo,
    sender: identity.mailFrom,
    mta: options.hostname,
    // mailauth's declared type omits MX answers ({ exchange, priority }), which it does read.
    resolver: options.resolver as unknown as DNSResolver,
    disableBimi: true,
    // RFC 7208 §4.6.4 limits lookups; this bounds SPF's wall time too.
    maxElapsedTime: options.timeoutMs,
  };
  // mailauth (with its BIMI, VMC and HTTP client modules) loads at the first
  // message, not with the service, and before the deadline starts: the
  // deadline bounds the verification.
  const { authenticate } = await import('mailauth');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), options.timeoutMs)));
  try {
    const result = await Promise.race([authenticate(message, settings), deadline]);
    if (result === undefined) {
      if (!Buffer.isBuffer(message)) message.destroy();
      return { reasons: [rule('AUTH_UNCHECKED', options.scores, `SPF/DKIM/DMARC did not finish in ${options.timeoutMs} ms`)], spfFailed: false, dmarcFailed: false };
    }
    return outcomeOf(result, options.scores);
  } finally {
    clearTimeout(timer);
  }
}

function rule(name: RuleName, scores: RuleScores, detail: string): VerdictReason {
  return { rule: name, score: scores[name], detail: detail.slice(0, 500) };
}

/** The rules the results fire and the Authentication-Results: value. */
export function outcomeOf(result: AuthenticateResult, scores: RuleScores): AuthenticationOutcome {
  const reasons: VerdictReason[] = [];
  const spf = result.spf ? result.spf.status.result : 'none';
  const spfRule = spfRules[spf];
  if (spfRule && result.spf) reasons.push(rule(spfRule, scores, `SPF ${spf} for ${result.spf.domain} from ${result.spf['client-ip']}`));

  const signatures = result.dkim?.results ?? [];
  const valid = signatures.filter((s) => s.status.result === 'pass');
  if (valid.length > 0) reasons.push(rule('DKIM_VALID', scores, `valid signature of ${valid.map((s) => s.signingDomain).join(',')}`));
  const aligned = valid.find((s) => s.status.aligned);
  if (aligned) reasons.push(rule('DKIM_VALID_AU', scores, `signature of the From: domain ${aligned.signingDomain}`));
  if (valid.length === 0 && signatures.some((s) => ['fail', 'neutral', 'policy', 'permerror'].includes(s.status.result))) {
    reasons.push(rule('DKIM_INVALID', scores, `no valid signature among ${signatures.length}`));
  }

  const dmarc = result.dmarc ? result.dmarc.status.result : 'none';
  if (result.dmarc && dmarc === 'pass') reasons.push(rule('DMARC_PASS', scores, `DMARC pass for ${result.dmarc.status.header?.from ?? result.dmarc.domain}`));
  if (result.dmarc && dmarc === 'fail') {
    const policy = result.dmarc.policy in dmarcFailRules ? result.dmarc.policy : 'none';
    reasons.push(rule(dmarcFailRules[policy] ?? 'DMARC_FAIL_NONE', scores, `DMARC fail for ${result.dmarc.status.header?.from ?? result.dmarc.domain}, policy ${policy}`));
  }
  return { header: authenticationResultsValue(result.headers), reasons, spfFailed: spf === 'fail', dmarcFailed: dmarc === 'fail' };
}

/** The value of the Authentication-Results: field among the header lines mailauth returns (folded with CRLF WSP). */
export function authenticationResultsValue(headers: string): string | undefined {
  const match = /(?:^|\r\n)Authentication-Results:[ \t]*((?:[^\r\n]|\r\n[ \t])*)/i.exec(headers);
  return match?.[1]?.trim() || undefined;
}
