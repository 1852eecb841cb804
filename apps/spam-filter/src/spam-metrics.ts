/**
 * The filter's own metrics (the DNS list ones are in dnsbl/dns-list-metrics.ts):
 * - `mail_spam_verdicts_total{action}`: post-DATA verdicts (deliver, junk);
 * - `mail_spam_rule_hits_total{rule}`: the rules that fired, so the reasons
 *   of verdicts show in metrics as they do in logs and headers;
 * - `mail_spam_screen_total{action}`: in-session screening answers;
 * - `mail_spam_learned_total{class,outcome}`: training and feedback;
 * - `mail_spam_content_parses_total{place}`: MIME parses of the content
 *   checks, on the event loop (small messages) or in the worker thread;
 * - `mail_spam_auth_dns_lookups_total{outcome}`: DNS questions of SPF, DKIM
 *   and DMARC answered from the cache (hit), by joining the same question
 *   in flight (shared), or by asking DNS (miss).
 * Verdicts, screening answers and the hits of every rule (the fixed ones and
 * the content rules of rules/, by name) are exported
 * at 0 from start-up, so every known series exists before its first event.
 */
import type { Meter } from '@opentelemetry/api';
import type { SpamClass, SpamVerdict } from '@mail/contracts';
import type { CacheOutcome } from '@mail/dns';
import { observedCounter } from '@mail/telemetry';
import type { ParsePlace } from './content/content-parser';
import type { LearnMetrics } from './training/learner';

export interface SpamMetrics extends LearnMetrics {
  verdict(verdict: SpamVerdict): void;
  screened(action: 'accept' | 'reject'): void;
  contentParsed(place: ParsePlace): void;
  authDnsLookup(outcome: CacheOutcome): void;
}

/** `rules`: every rule name (rule-scores.ts ruleNames), whose hit counters exist at 0 from start-up (as do verdicts and screening answers). */
export function createSpamMetrics(meter: Meter, rules: readonly string[] = []): SpamMetrics {
  // Counted in memory and read at each scrape (observedCounter): about a dozen adds per message otherwise
  // cost the SDK's attribute hashing each. Training is rare and has two labels: a synchronous counter.
  const verdicts = observedCounter<SpamVerdict['action']>(meter, 'mail_spam_verdicts_total', { description: 'Spam verdicts by action', label: 'action' });
  const ruleHits = observedCounter<string>(meter, 'mail_spam_rule_hits_total', { description: 'Rules that fired in verdicts, by rule', label: 'rule' });
  const screens = observedCounter<'accept' | 'reject'>(meter, 'mail_spam_screen_total', { description: 'In-session client screening answers by action', label: 'action' });
  const learned = meter.createCounter('mail_spam_learned_total', { description: 'Messages given to the classifier, by class and outcome' });
  const parses = observedCounter<ParsePlace>(meter, 'mail_spam_content_parses_total', { description: 'MIME parses of the content checks, by place (in-process, worker)', label: 'place' });
  const authDns = observedCounter<CacheOutcome>(meter, 'mail_spam_auth_dns_lookups_total', {
    description: 'DNS questions of SPF, DKIM and DMARC by how they were answered (hit, shared, miss)',
    label: 'outcome',
  });
  for (const rule of rules) ruleHits.add(0, rule);
  for (const action of ['deliver', 'junk', 'reject'] satisfies SpamVerdict['action'][]) verdicts.add(0, action);
  for (const action of ['accept', 'reject'] as const) screens.add(0, action);
  for (const place of ['in-process', 'worker'] satisfies ParsePlace[]) parses.add(0, place);
  for (const outcome of ['hit', 'shared', 'miss'] satisfies CacheOutcome[]) authDns.add(0, outcome);
  return {
    verdict(verdict) {
      verdicts.add(1, verdict.action);
      for (const rule of new Set(verdict.reasons.map((r) => r.rule))) ruleHits.add(1, rule);
    },
    screened(action) {
      screens.add(1, action);
    },
    learned(as: SpamClass, outcome: string) {
      learned.add(1, { class: as, outcome });
    },
    contentParsed(place) {
      parses.add(1, place);
    },
    authDnsLookup(outcome) {
      authDns.add(1, outcome);
    },
  };
}
