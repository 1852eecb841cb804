/**
 * The score of every fixed rule, in one table (SpamAssassin's `score`
 * lines). DNS list rules (RCVD_IN_*, URIBL_*) take their weight from the
 * zone spec instead; the content rules (rules/*.rule.ts) declare their
 * own defaults, listed after these. Operators override any entry with
 * SPAM_RULE_SCORES=`RULE=score,...`; a content rule scored 0 is not run.
 *
 * The guiding rule is "avoid false positives at all costs": no single
 * authentication result reaches the tag score (5) on its own except a
 * DMARC failure under the domain owner's own p=reject, and results that
 * say "could not check" (none, temperror) score nothing.
 */
import { ConfigError } from '@mail/config';
import { contentRuleScores } from '../rules/content-rules';

export const defaultRuleScores = {
  /** Sender or client on SPAM_ALLOW_SENDERS / SPAM_ALLOW_IPS: the score is forced to this. */
  ALLOWLISTED: -100,
  /** No DNSBL zone answered (fail open). */
  DNSBL_UNCHECKED: 0,
  /** SPF/DKIM/DMARC verification did not finish in SPAM_AUTH_TIMEOUT. */
  AUTH_UNCHECKED: 0,

  // RFC 7208 §2.6: SPF results. Forwarding breaks SPF, so a fail alone stays well under the tag score.
  SPF_PASS: -0.1,
  SPF_FAIL: 3,
  SPF_SOFTFAIL: 1,
  SPF_NEUTRAL: 0,
  SPF_PERMERROR: 0.5,
  // RFC 6376 §6.1: DKIM. A valid signature of the From domain (aligned, RFC 7489 §3.1.1) is worth more.
  DKIM_VALID: -0.1,
  DKIM_VALID_AU: -0.9,
  DKIM_INVALID: 0.1,
  // RFC 7489 §6.3 / RFC 9989: DMARC, scored by the policy the domain owner published.
  DMARC_PASS: -0.1,
  DMARC_FAIL_REJECT: 5,
  DMARC_FAIL_QUARANTINE: 3,
  DMARC_FAIL_NONE: 0.1,

  // Bayes bands (the classifier's spam probability), calibrated on the SpamAssassin public corpus (docs/spam-evaluation.md):
  // from 0.99 Bayes alone tags, from 0.99999 it files in Junk; 0.2–0.6 says nothing either way.
  BAYES_00: -1.9,
  BAYES_05: -0.5,
  BAYES_20: 0,
  BAYES_40: 0,
  BAYES_50: 0,
  BAYES_60: 1,
  BAYES_80: 2,
  BAYES_95: 3,
  BAYES_99: 5,
  /** Fires with BAYES_99 when the probability is ≥ 0.999. */
  BAYES_999: 0.5,
  /** Fires with BAYES_99 and BAYES_999 when the probability is ≥ 0.99999: the three reach the Junk score (8). */
  BAYES_99999: 2.5,
} as const;

export type RuleName = keyof typeof defaultRuleScores;
/** The fixed rules by name, and the content rules' by theirs. */
export type RuleScores = Readonly<Record<RuleName, number>> & Readonly<Record<string, number>>;
export type ScoreOverrides = Readonly<Record<string, number>>;

/** Every rule SPAM_RULE_SCORES may name: the fixed ones, then the content rules. */
export const ruleNames: readonly string[] = [...Object.keys(defaultRuleScores), ...Object.keys(contentRuleScores)];

function isRuleName(name: string): boolean {
  return Object.hasOwn(defaultRuleScores, name) || Object.hasOwn(contentRuleScores, name);
}

/** Parses SPAM_RULE_SCORES (`SPF_FAIL=2,BAYES_99=4`); throws ConfigError naming the variable. */
export function parseScoreOverrides(value: string | undefined): ScoreOverrides {
  const overrides: Record<string, number> = {};
  for (const entry of (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')) {
    const match = /^([A-Z0-9_]+)=(-?\d+(?:\.\d+)?)$/.exec(entry);
    if (!match) throw new ConfigError('SPAM_RULE_SCORES', 'a list of RULE=score such as SPF_FAIL=2,BAYES_99=4', entry);
    const [, name = '', score = '0'] = match;
    if (!isRuleName(name)) throw new ConfigError('SPAM_RULE_SCORES', `rule names among ${ruleNames.join(', ')}`, name);
    overrides[name] = Number(score);
  }
  return overrides;
}

export function ruleScores(overrides: ScoreOverrides = {}): RuleScores {
  return { ...defaultRuleScores, ...contentRuleScores, ...overrides };
}
