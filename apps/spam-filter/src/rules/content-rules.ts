/**
 * The content rules: every `*.rule.ts` file of this folder, collected by
 * rule-list.generated.ts (see rule-list-source.ts), checked once as the
 * service loads — names unique, in SpamAssassin's form, not taken by a
 * fixed rule — and run over a message's view. The scorer and the
 * evaluation tool (tools/spam-eval) call contentRuleReasons the same way:
 *
 *   contentRuleReasons(messageView(content, { receivedAt }), scores)
 *
 * A rule whose score is 0 (SPAM_RULE_SCORES=MIME_HTML_ONLY=0) is not run,
 * as SpamAssassin disables a rule scored 0. A rule that throws is skipped
 * for that message: one broken rule must not fail the message.
 */
import type { VerdictReason } from '@mail/contracts';
import type { ContentRule } from './content-rule';
import type { MessageView } from './message-view';
import { ruleList } from './rule-list.generated';

export { messageView, type MessageView, type MessageViewOptions } from './message-view';
export type { ContentRule } from './content-rule';

/** A rule-name shape shared with SPAM_RULE_SCORES. */
const ruleNamePattern = /^[A-Z][A-Z0-9_]{2,59}$/;

function checkedRules(rules: readonly ContentRule[]): readonly ContentRule[] {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (!ruleNamePattern.test(rule.name)) throw new Error(`content rule name ${JSON.stringify(rule.name)} must be upper case letters, digits and _`);
    if (seen.has(rule.name)) throw new Error(`content rule ${rule.name} is defined twice`);
    if (!Number.isFinite(rule.score)) throw new Error(`content rule ${rule.name} has no finite score`);
    seen.add(rule.name);
  }
  return rules;
}

/** Every content rule, in file-name order. */
export const contentRules: readonly ContentRule[] = checkedRules(ruleList);

/** Each content rule's default score, by name. */
export const contentRuleScores: Readonly<Record<string, number>> = Object.fromEntries(contentRules.map((rule) => [rule.name, rule.score]));

/** The reasons of the content rules that hit, scored from `scores` (the rule's default when absent). */
export function contentRuleReasons(view: MessageView, scores: Readonly<Record<string, number | undefined>> = {}): VerdictReason[] {
  const reasons: VerdictReason[] = [];
  for (const rule of contentRules) {
    const score = scores[rule.name] ?? rule.score;
    if (score === 0) continue;
    let outcome;
    try {
      outcome = rule.test(view);
    } catch {
      continue;
    }
    if (outcome === false) continue;
    reasons.push(typeof outcome === 'string' ? { rule: rule.name, score, detail: outcome.slice(0, 500) } : { rule: rule.name, score });
  }
  return reasons;
}
