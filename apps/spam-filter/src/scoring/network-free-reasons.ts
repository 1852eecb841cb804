/**
 * The reasons a message earns from what it carries alone, with no network
 * question: the Bayes band of the classifier's judgement (and the content
 * rules, once they are plug-ins). The service adds the DNS lists,
 * SPF/DKIM/DMARC and the allow-lists around it (message-scorer.ts); the
 * offline evaluation (tools/spam-eval) calls this alone, so it scores a
 * message as the service would score it from an unlisted sender whose
 * domains publish no SPF, DKIM or DMARC.
 */
import type { VerdictReason } from '@mail/contracts';
import type { BayesJudgement } from '../bayes/bayes-classifier';
import { bayesReasons } from '../bayes/bayes-rules';
import type { MessageContent } from '../content/message-content';
import type { RuleScores } from '../verdict/rule-scores';

/** `content` is undefined when the body could not be read or parsed; `judgement` when the classifier could not be asked. */
export function networkFreeReasons(_content: MessageContent | undefined, judgement: BayesJudgement | undefined, scores: RuleScores): VerdictReason[] {
  return judgement?.active ? bayesReasons(judgement.probability, scores) : [];
}
