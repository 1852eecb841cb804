/**
 * Scores received messages, a batch at a time: the client IP against the
 * DNSBL zones, the sender's and the linked domains against the domain
 * lists, SPF/DKIM/DMARC, and the Bayes classifier; then the allow-lists,
 * which override the rest. Authenticated submission (our own users) skips
 * the IP and sender-authentication checks: a user on a dynamic address
 * (which DNSBLs such as the PBL list by design) is not a spammer for it.
 *
 * A batch goes in three steps, so that Redis sees it once: each message's
 * body is read and parsed (its sender authentication starts then, beside
 * the rest); one Redis round trip reads what the whole batch needs (the
 * zones' health, the cached answers of every DNS list question, the Bayes
 * corpus and the counts of every token); then each message's checks run,
 * asking DNS what was not cached, and the new answers are written back in
 * one more round trip. Each message gets its own result: one whose body
 * cannot be read now fails alone. Only small messages (parsed on the event
 * loop, bodies inline) share a round trip: a larger one, read from the
 * object store and parsed in the worker thread under its deadline, is
 * scored on its own beside them, so that it holds nobody up.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { BodyStore } from '@mail/bus';
import type { HeaderField, MailReceived, VerdictReason } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import { allowListMatch, type AllowList } from '../allow/allow-list';
import { authenticateEnvelopeOnly, authenticateSender, headerSectionFits, type AuthenticationOutcome, type AuthenticatorOptions } from '../auth/sender-authentication';
import type { BayesClassifier, BayesJudgement } from '../bayes/bayes-classifier';
import { tokenize } from '../bayes/tokenizer';
import { readBodyPrefixUnlessGone } from '../content/body-prefix';
import { parseContentUnderDeadline, parsePlace, type ParsePlace } from '../content/content-parser';
import { linkDomains } from '../content/link-domains';
import { domainOf, type MessageContent } from '../content/message-content';
import { registeredDomain } from '../content/registered-domain';
import { unmappedAddress, type DnsblChecker } from '../dnsbl/dnsbl-checker';
import type { DomainCandidate, DomainListChecker } from '../dnsbl/domain-list-checker';
import type { ZoneHealth } from '../dnsbl/zone-health';
import { BatchZoneLookups } from '../dnsbl/zone-lookups';
import type { ZoneQuery } from '../dnsbl/zone-query';
import { RedisBatch } from '../redis-batch';
import { dnsblReasons, domainListReasons } from '../verdict/dns-list-reasons';
import type { RuleScores } from '../verdict/rule-scores';
import { authenticationInput } from './authentication-input';
import { networkFreeReasons } from './network-free-reasons';

export interface MessageScorerDependencies {
  readonly bodies: BodyStore;
  /** The service's Redis client: a batch's reads go in one pipeline on it. */
  readonly redis: Redis;
  readonly zones: { readonly query: ZoneQuery; readonly health: ZoneHealth };
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

/** A message read and parsed, its sender authentication under way, waiting for the batch's Redis round trip. */
interface Prepared {
  readonly mail: MailReceived;
  readonly ip: string;
  /** Authenticated submission: no IP check. */
  readonly ownUser: boolean;
  readonly content: MessageContent | undefined;
  /** Undefined when not parsed, or while the classifier cannot judge (BayesClassifier.wantsTokens). */
  readonly tokens: readonly string[] | undefined;
  readonly domains: readonly DomainCandidate[];
  readonly auth: Promise<AuthenticationOutcome>;
}

const notAuthenticated: AuthenticationOutcome = { reasons: [], spfFailed: false, dmarcFailed: false };

export class MessageScorer {
  #turns: Promise<void> = Promise.resolve();

  constructor(private readonly deps: MessageScorerDependencies) {}

  /**
   * Waits for an event-loop turn of its own: a batch's messages finish
   * parsing (and their lookups) together, and their CPU-heavy steps (the
   * tokenizer, the content rules) would otherwise run back to back in one
   * stretch. Chained, so each waiter gets a later turn than the one before
   * (immediates queued at once would all run in the same turn).
   */
  #turn(): Promise<void> {
    const turn = this.#turns.then(() => nextTurn());
    this.#turns = turn;
    return turn;
  }

  /** Each message's score, in the batch's order. */
  async scoreBatch(mails: readonly MailReceived[]): Promise<PromiseSettledResult<MessageScore>[]> {
    const small = mails.filter((mail) => parsePlace(mail.body.size) === 'in-process');
    const large = mails.filter((mail) => parsePlace(mail.body.size) !== 'in-process');
    const [together, ...alone] = await Promise.all([this.scoreTogether(small), ...large.map((mail) => this.scoreTogether([mail]))]);
    const results = new Map<MailReceived, PromiseSettledResult<MessageScore> | undefined>([
      ...small.map((mail, i) => [mail, together?.[i]] as const),
      ...large.map((mail, i) => [mail, alone[i]?.[0]] as const),
    ]);
    return mails.map((mail) => results.get(mail) ?? { status: 'rejected', reason: new Error('message not scored') });
  }

  /** The messages' scores with one Redis round trip for all of them. */
  private async scoreTogether(mails: readonly MailReceived[]): Promise<PromiseSettledResult<MessageScore>[]> {
    if (mails.length === 0) return [];
    const steps = await Promise.allSettled(mails.map((mail) => this.prepare(mail)));
    const prepared = steps.flatMap((step) => (step.status === 'fulfilled' && step.value.kind === 'prepared' ? [step.value.prepared] : []));
    const batch = new RedisBatch(this.deps.redis);
    const queryNames = prepared.flatMap((p) => [...(p.ownUser ? [] : this.deps.dnsbl.queryNames(p.ip)), ...this.deps.domainLists.queryNames(p.domains)]);
    const zones = [...this.deps.dnsbl.zones, ...this.deps.domainLists.zones].map((spec) => spec.zone);
    const lookupsRead = BatchZoneLookups.readIn(batch, this.deps.zones.query, this.deps.zones.health, zones, queryNames);
    const withTokens = prepared.filter((p) => p.content !== undefined);
    const judgementsRead =
      withTokens.length === 0
        ? Promise.resolve([])
        : this.deps.bayes.judgeIn(
            batch,
            withTokens.map((p) => p.tokens ?? (() => (p.content ? tokenize(p.content) : []))),
          );
    judgementsRead.catch(() => undefined);
    await batch.send();
    const lookups = await lookupsRead;
    const judgements = new Map<Prepared, BayesJudgement>();
    try {
      (await judgementsRead).forEach((judgement, i) => judgements.set(withTokens[i] as Prepared, judgement));
    } catch (error) {
      // Without Redis the classifier cannot judge; the messages are scored without it (fail open).
      this.deps.log.warn({ err: error, messages: withTokens.length }, 'Bayes classifier unavailable; messages scored without it');
    }
    const settled = await Promise.allSettled(prepared.map((p) => this.finish(p, lookups, judgements.get(p))));
    await lookups.writeBack();
    const byPrepared = new Map(prepared.map((p, i) => [p, settled[i] as PromiseSettledResult<MessageScore>] as const));
    return steps.map((step): PromiseSettledResult<MessageScore> => {
      if (step.status === 'rejected') return step;
      return step.value.kind === 'decided' ? { status: 'fulfilled', value: step.value.score } : (byPrepared.get(step.value.prepared) as PromiseSettledResult<MessageScore>);
    });
  }

  /** A message allow-listed by its client IP is decided at once; any other is read, parsed and its authentication started. */
  private async prepare(mail: MailReceived): Promise<{ kind: 'decided'; score: MessageScore } | { kind: 'prepared'; prepared: Prepared }> {
    const ip = unmappedAddress(mail.session.clientIp);
    const ipAllowed = allowListMatch(this.deps.allowList, { clientIp: ip });
    if (ipAllowed) return { kind: 'decided', score: { reasons: [], allowlisted: this.allowlisted(ipAllowed), leadingHeaders: [] } };
    const ownUser = mail.session.listener === 'submission' && mail.session.authUser !== undefined;
    const read = await this.readBody(mail);
    const auth = ownUser || !read ? Promise.resolve(notAuthenticated) : this.authenticate(mail, read);
    auth.catch(() => undefined);
    const content = read ? await this.parse(mail, read.bytes, read.truncated) : undefined;
    const domains = this.deps.domainLists.zones.length === 0 ? [] : domainCandidates(mail.envelope.mailFrom, content);
    if (content) await this.#turn();
    // Not tokenized while the classifier cannot judge (judgeIn tokenizes when it finds the corpus grown)
    const tokens = content && this.deps.bayes.wantsTokens ? tokenize(content) : undefined;
    return { kind: 'prepared', prepared: { mail, ip, ownUser, content, tokens, domains, auth } };
  }

  /** The message's checks, with the batch's lookups and Bayes judgement. */
  private async finish(p: Prepared, lookups: BatchZoneLookups, judgement: BayesJudgement | undefined): Promise<MessageScore> {
    const [dnsbl, auth, domains] = await Promise.all([
      p.ownUser ? [] : this.deps.dnsbl.check(p.ip, undefined, lookups).then((outcome) => dnsblReasons(p.ip, outcome, this.deps.scores.DNSBL_UNCHECKED)),
      p.auth,
      p.domains.length === 0 ? [] : this.deps.domainLists.check(p.domains, lookups).then(domainListReasons),
    ]);
    if (p.content) await this.#turn();
    const networkFree = networkFreeReasons(p.content, judgement, this.deps.scores, { receivedAt: new Date(p.mail.receivedAt) });
    const senderAllowed = allowListMatch(this.deps.allowList, {
      mailFrom: p.mail.envelope.mailFrom,
      headerFrom: p.content?.fromAddresses ?? [],
      spfFailed: auth.spfFailed,
      dmarcFailed: auth.dmarcFailed,
    });
    return {
      reasons: [...dnsbl, ...auth.reasons, ...domains, ...networkFree],
      ...(senderAllowed ? { allowlisted: this.allowlisted(senderAllowed) } : {}),
      leadingHeaders: auth.header ? [{ name: 'Authentication-Results', value: auth.header }] : [],
    };
  }

  /**
   * The body's first octets. A body already gone (a redelivery after the
   * relay delivered and removed it) leaves the envelope checks only; any
   * other read failure (NATS restarting) is temporary and fails the message,
   * so it is classified again, whole, on redelivery.
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
}

/** The sender's domains and the linked ones, reduced to registered domains: domain lists list those (RFC 5782 §2.3). */
function domainCandidates(mailFrom: string, content: MessageContent | undefined): DomainCandidate[] {
  const candidates: DomainCandidate[] = [];
  const envelopeDomain = domainOf(mailFrom);
  if (envelopeDomain) candidates.push({ domain: envelopeDomain, source: 'envelope-from' });
  for (const address of content?.fromAddresses ?? []) {
    const domain = domainOf(address);
    if (domain) candidates.push({ domain, source: 'header-from' });
  }
  for (const domain of content ? linkDomains(content.text, content.html) : []) candidates.push({ domain, source: 'link' });
  return candidates.flatMap((candidate) => {
    const domain = registeredDomain(candidate.domain);
    return domain ? [{ domain, source: candidate.source }] : [];
  });
}
