/**
 * A content rule: a network-free test of one message, SpamAssassin's
 * `header`/`body`/`rawbody` rules and rspamd's regexp rules in spirit.
 * Each rule is one file `<name>.rule.ts` in this folder whose default
 * export is `defineContentRule({...})`; the rule list (rule-list.generated.ts)
 * collects them, and the scorer runs whatever is in it.
 */
import type { MessageView } from './message-view';

/** false: no hit; true: a hit; a string: a hit, with what was found (for the verdict's reasons). */
export type RuleOutcome = boolean | string;

export interface ContentRule {
  /** SpamAssassin style: upper case, digits and `_` (the name in X-Spam-Status and in SPAM_RULE_SCORES). */
  readonly name: string;
  /** Default score; SPAM_RULE_SCORES overrides it. Keep it modest: rules add up, and one rule alone should never tag ham. */
  readonly score: number;
  /** What the rule finds and why it is a sign of spam, one line (the reference table shows it). */
  readonly description: string;
  /** Must be cheap and must not throw for any message: the view's lazy facts are shared by every rule. */
  test(view: MessageView): RuleOutcome;
}

/** Identity, for the type check and a uniform shape of rule files. */
export function defineContentRule(rule: ContentRule): ContentRule {
  return rule;
}
