/**
 * The reasons a message earns from what it carries alone, with no network
 * question: the Bayes band of the classifier's judgement and the content
 * rules (rules/*.rule.ts, run over the message's view). The service adds
 * the DNS lists, SPF/DKIM/DMARC and the allow-lists around it
 * (message-scorer.ts); the offline evaluation (tools/spam-eval) calls this
 * alone, so it scores a message as the service would score it from an
 * unlisted sender whose domains publish no SPF, DKIM or DMARC.
 */
import type { VerdictReason } from '@mail/contracts';
import type { BayesJudgement } from '../bayes/bayes-classifier';
import { bayesReasons } from '../bayes/bayes-rules';
import type { MessageContent } from '../content/message-content';
import { contentRuleReasons, messageView, type MessageViewOptions } from '../rules/content-rules';
import type { RuleScores } from '../verdict/rule-scores';

/**
 * `content` is undefined when the body could not be read or parsed; `judgement` when the classifier could not be asked.
 * `view.receivedAt` is when the message reached us (the date rules compare Date: with it); without it, the message's topmost Received: date.
 */
export function networkFreeReasons(content: MessageContent | undefined, judgement: BayesJudgement | undefined, scores: RuleScores, view: MessageViewOptions = {}): VerdictReason[] {
  const bayes = judgement?.active ? bayesReasons(judgement.probability, scores) : [];
  return content === undefined ? bayes : [...bayes, ...contentRuleReasons(messageView(content, view), scores)];
}
