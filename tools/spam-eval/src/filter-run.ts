/**
 * The spam filter's side of the evaluation, through spam-filter's own
 * code (its evaluation entry): each message is parsed and tokenized once,
 * as the service parses and tokenizes it; then per fold a classifier is
 * trained on the other folds (the service's counting, in memory) and each
 * held-out message is judged, given the network-free reasons (Bayes and
 * content rules) and a verdict by the service's policy at its default
 * thresholds. DNS lists and SPF/DKIM/DMARC are not asked: the scores are
 * those of mail from an unlisted sender publishing no authentication.
 */
import {
  decideVerdict,
  defaultSettings,
  distinctTokenIds,
  judgeTokenIds,
  hasLearnedEnough,
  MemoryTokenStore,
  messageIdentity,
  networkFreeReasons,
  parseContent,
  ruleScores,
  teachesAnything,
  tokenize,
  type MessageContent,
} from '@mail/spam-filter/evaluation';
import { readMessage, type CorpusMessage } from './corpus';

/** A message parsed and tokenized, with what it cost. */
export interface PreparedMessage {
  readonly message: CorpusMessage;
  readonly fold: number;
  readonly content: MessageContent;
  readonly identity: string;
  /** Distinct token ids; empty when the message teaches nothing (the service's Learner skips it). */
  readonly learnIds: readonly string[];
  readonly ids: readonly string[];
  readonly tokens: number;
  readonly parseMs: number;
  readonly tokenizeMs: number;
}

export interface FilterJudgement {
  readonly probability: number | undefined;
  readonly score: number;
  readonly tagged: boolean;
  readonly junk: boolean;
  readonly rules: readonly string[];
}

export const thresholds = { tagScore: defaultSettings.tagScore, junkScore: defaultSettings.junkScore };

export async function prepareMessage(message: CorpusMessage, fold: number): Promise<PreparedMessage> {
  const raw = await readMessage(message);
  const parseStart = performance.now();
  const content = await parseContent(raw);
  const tokenizeStart = performance.now();
  const tokens = tokenize(content);
  const tokenizeEnd = performance.now();
  const ids = distinctTokenIds(tokens);
  return {
    message,
    fold,
    content,
    identity: messageIdentity(content),
    ids,
    learnIds: teachesAnything(content) ? ids : [],
    tokens: tokens.length,
    parseMs: tokenizeStart - parseStart,
    tokenizeMs: tokenizeEnd - tokenizeStart,
  };
}

/** Judges the messages of `fold` with a classifier trained on all the others. */
export function runFilterFold(messages: readonly PreparedMessage[], fold: number): Map<PreparedMessage, FilterJudgement> {
  const store = new MemoryTokenStore();
  for (const m of messages) if (m.fold !== fold && m.learnIds.length > 0) store.learn(m.identity, m.message.kind, m.learnIds);
  const corpus = store.corpusSize();
  const active = hasLearnedEnough(corpus, defaultSettings.bayesMinMessages);
  const scores = ruleScores();
  const judged = new Map<PreparedMessage, FilterJudgement>();
  const now = new Date();
  for (const m of messages) {
    if (m.fold !== fold) continue;
    const judgement = active ? judgeTokenIds(m.ids, store.countsById(m.ids), corpus) : { active: false as const, corpus };
    const verdict = decideVerdict({ reasons: networkFreeReasons(m.content, judgement, scores) }, thresholds, now, 'spam-eval');
    judged.set(m, {
      probability: judgement.active ? judgement.probability : undefined,
      score: verdict.score,
      tagged: verdict.score >= thresholds.tagScore,
      junk: verdict.action === 'junk',
      rules: verdict.reasons.map((r) => r.rule),
    });
  }
  return judged;
}
