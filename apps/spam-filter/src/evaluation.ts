/**
 * spam-filter's entry for an offline evaluation (tools/spam-eval, issue
 * 16): the parts of the service that judge a message without a network —
 * the MIME parse, the tokenizer, the classifier's counting (in memory,
 * as the Redis store counts) and arithmetic, the network-free reasons and
 * the verdict policy with the configured defaults — so that an evaluation
 * measures the code the service runs and not a copy of it.
 */
import { spamFilterConfig } from './config';

export { hasLearnedEnough, judgeTokenIds, type BayesJudgement } from './bayes/bayes-classifier';
export { messageIdentity } from './bayes/message-identity';
export { MemoryTokenStore } from './bayes/memory-token-store';
export { distinctTokenIds } from './bayes/token-store';
export { teachesAnything, tokenize } from './bayes/tokenizer';
export { parseContent, type MessageContent } from './content/message-content';
export { contentRuleReasons, contentRules, messageView, type MessageView } from './rules/content-rules';
export { networkFreeReasons } from './scoring/network-free-reasons';
export { decideVerdict, type PolicyThresholds } from './verdict/policy';
export { ruleScores, type RuleScores } from './verdict/rule-scores';

/** The thresholds and classifier minimum the service runs with when nothing is configured. */
export const defaultSettings = {
  tagScore: spamFilterConfig.tagScore({}),
  junkScore: spamFilterConfig.junkScore({}),
  bayesMinMessages: spamFilterConfig.bayesMinMessages({}),
} as const;
