/**
 * Scores one received message: the client IP against the DNSBL zones, the
 * sender's and the linked domains against the domain lists, SPF/DKIM/DMARC,
 * and the Bayes classifier; then the allow-lists, which override the rest.
 * Checks that do not depend on each other run at once. Authenticated
 * submission (our own users) skips the IP and sender-authentication checks:
 * a user on a dynamic address (which DNSBLs such as the PBL list by design)
 * is not a spammer for it.
 */
import { Readable } from 'node:stream';
import type { BodyStore } from '@mail/bus';
import type { HeaderField, MailReceived, VerdictReason } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import { allowListMatch, type AllowList } from '../allow/allow-list';
import { authenticateEnvelopeOnly, authenticateSender, headerSectionFits, type AuthenticationOutcome, type AuthenticatorOptions } from '../auth/sender-authentication';
import type { BayesClassifier } from '../bayes/bayes-classifier';
import { bayesReasons } from '../bayes/bayes-rules';
import { tokenize } from '../bayes/tokenizer';
import { linkDomains } from '../content/link-domains';
import { parseContentUnderDeadline, parsePlace, type ParsePlace } from '../content/content-parser';
import { readBodyPrefixUnlessGone } from '../content/body-prefix';
import { domainOf, type MessageContent } from '../content/message-content';
import { registeredDomain } from '../content/registered-domain';
import { unmappedAddress, type DnsblChecker } from '../dnsbl/dnsbl-checker';
import type { DomainCandidate, DomainListChecker } from '../dnsbl/domain-list-checker';
import { dnsblReasons, domainListReasons } from '../verdict/dns-list-reasons';
import type { RuleScores } from '../verdict/rule-scores';
import { authenticationInput } from './authentication-input';

export interface MessageScorerDependencies {
  readonly bodies: BodyStore;
  readonly dnsbl: DnsblChecker;
  readonly domainLists: DomainListChecker;
  readonly bayes: BayesClassifier;
  readonly authenticator: AuthenticatorOptions;
  readonly allowList: AllowList;
  readonly scores: RuleScores;
  readonly log: Pick<Logger, 'warn'>;
  readonly onParse?: (place: ParsePlace) => void;
}

export interface MessageScore {
  readonly reasons: VerdictReason[];
  /** The ALLOWLISTED reason when an allow-list matched. */
  readonly allowlisted?: VerdictReason;
  /** Authentication-Results:, to be placed first. */
  readonly leadingHeaders: HeaderField[];
}

const notAuthenticated: AuthenticationOutcome = { reasons: [], spfFailed: false, dmarcFailed: false };

export class MessageScorer {
  constructor(private readonly deps: MessageScorerDependencies) {}

  async score(mail: MailReceived): Promise<MessageScore> {
    const ip = unmappedAddress(mail.session.clientIp);
    const ipAllowed = allowListMatch(this.deps.allowList, { clientIp: ip });
    if (ipAllowed) return { reasons: [], allowlisted: this.allowlisted(ipAllowed), leadingHeaders: [] };
    const ownUser = mail.session.listener === 'submission' && mail.session.authUser !== undefined;
    const [dnsbl, read] = await Promise.all([ownUser ? [] : this.dnsblReasons(ip), this.readBody(mail)]);
    const content = read ? await this.parse(mail, read.bytes, read.truncated) : undefined;
    const [auth, domains, bayes] = await Promise.all([
      ownUser || !read ? notAuthenticated : this.authenticate(mail, read),
      this.domainListReasons(mail.envelope.mailFrom, content),
      content ? this.bayesReasons(content) : [],
    ]);
    const senderAllowed = allowListMatch(this.deps.allowList, {
      mailFrom: mail.envelope.mailFrom,
      headerFrom: content?.fromAddresses ?? [],
      spfFailed: auth.spfFailed,
      dmarcFailed: auth.dmarcFailed,
    });
    return {
      reasons: [...dnsbl, ...auth.reasons, ...domains, ...bayes],
      ...(senderAllowed ? { allowlisted: this.allowlisted(senderAllowed) } : {}),
      leadingHeaders: auth.header ? [{ name: 'Authentication-Results', value: auth.header }] : [],
    };
  }

  /**
   * The body's first octets. A body already gone (a redelivery after the
   * relay delivered and removed it) leaves the envelope checks only; any
   * other read failure (NATS restarting) is temporary and fails the handler,
   * so the message is classified again, whole, on redelivery.
   */
  private async readBody(mail: MailReceived): Promise<{ bytes: Buffer; truncated: boolean } | undefined> {
    const read = await readBodyPrefixUnlessGone(this.deps.bodies, mail.body);
    if (!read) this.deps.log.warn({ queueId: mail.queueId, key: mail.body.key }, 'message body gone; content checks skipped');
    return read;
  }

  private parse(mail: MailReceived, bytes: Buffer, truncated: boolean): Promise<MessageContent | undefined> {
    this.deps.onParse?.(parsePlace(bytes.length));
    return parseContentUnderDeadline(bytes, truncated).catch((error: unknown) => {
      this.deps.log.warn({ err: error, queueId: mail.queueId }, 'message could not be parsed; content checks skipped');
      return undefined;
    });
  }

  private allowlisted(detail: string): VerdictReason {
    return { rule: 'ALLOWLISTED', score: this.deps.scores.ALLOWLISTED, detail };
  }

  private async dnsblReasons(ip: string): Promise<VerdictReason[]> {
    return dnsblReasons(ip, await this.deps.dnsbl.check(ip), this.deps.scores.DNSBL_UNCHECKED);
  }

  /**
   * The whole message when it was read whole; else its header section when
   * no DKIM or ARC signature needs the body, or the message streamed again
   * from the object store when one does (DKIM hashes every octet); SPF
   * only when the header section is too large for mailauth's synchronous parser.
   */
  private authenticate(mail: MailReceived, read: { bytes: Buffer; truncated: boolean }): Promise<AuthenticationOutcome> {
    const identity = { clientIp: unmappedAddress(mail.session.clientIp), helo: mail.session.helo, mailFrom: mail.envelope.mailFrom };
    if (!headerSectionFits(read.bytes, !read.truncated)) return authenticateEnvelopeOnly(identity, this.deps.authenticator);
    const message = authenticationInput(read, () => Readable.from(this.deps.bodies.read(mail.body)));
    return authenticateSender(message, identity, this.deps.authenticator);
  }

  private async domainListReasons(mailFrom: string, content: MessageContent | undefined): Promise<VerdictReason[]> {
    if (this.deps.domainLists.zones.length === 0) return [];
    const candidates: DomainCandidate[] = [];
    const envelopeDomain = domainOf(mailFrom);
    if (envelopeDomain) candidates.push({ domain: envelopeDomain, source: 'envelope-from' });
    for (const address of content?.fromAddresses ?? []) {
      const domain = domainOf(address);
      if (domain) candidates.push({ domain, source: 'header-from' });
    }
    for (const domain of content ? linkDomains(content.text, content.html) : []) candidates.push({ domain, source: 'link' });
    return domainListReasons(await this.deps.domainLists.check(candidates.map(toRegistered).filter((c): c is DomainCandidate => c !== undefined)));
  }

  /** Without Redis the classifier cannot judge; the message is scored without it (fail open). */
  private async bayesReasons(content: MessageContent): Promise<VerdictReason[]> {
    try {
      const judgement = await this.deps.bayes.judge(tokenize(content));
      return judgement.active ? bayesReasons(judgement.probability, this.deps.scores) : [];
    } catch (error) {
      this.deps.log.warn({ err: error }, 'Bayes classifier unavailable; message scored without it');
      return [];
    }
  }
}

/** Domain lists list registered domains (RFC 5782 §2.3); sender domains are reduced like links. */
function toRegistered(candidate: DomainCandidate): DomainCandidate | undefined {
  const domain = registeredDomain(candidate.domain);
  return domain ? { domain, source: candidate.source } : undefined;
}
