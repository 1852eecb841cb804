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

/** This thread's CPU time in milliseconds: what a step costs, whatever else the (shared) machine runs meanwhile. */
export function threadCpuMs(): number {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Tokenizes every message again, warm, and computes its token ids: the steady-state CPU per message of each (the service's classifier does both). */
export function warmCost(messages: readonly PreparedMessage[]): { tokenizeMs: number; tokenIdsMs: number } {
  let tokenizeMs = 0;
  let tokenIdsMs = 0;
  for (const m of messages) {
    const started = threadCpuMs();
    const tokens = tokenize(m.content);
    const tokenized = threadCpuMs();
    distinctTokenIds(tokens);
    tokenizeMs += tokenized - started;
    tokenIdsMs += threadCpuMs() - tokenized;
  }
  const n = Math.max(1, messages.length);
  return { tokenizeMs: tokenizeMs / n, tokenIdsMs: tokenIdsMs / n };
}

export async function prepareMessage(message: CorpusMessage, fold: number): Promise<PreparedMessage> {
  const raw = await readMessage(message);
  const parseStart = threadCpuMs();
  const content = await parseContent(raw);
  const tokenizeStart = threadCpuMs();
  const tokens = tokenize(content);
  const tokenizeEnd = threadCpuMs();
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
