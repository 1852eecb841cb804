/**
 * One evaluation run: the corpus dealt to folds, every message prepared
 * once, then fold by fold the filter's and bogofilter's judgements of the
 * held-out messages, gathered into the report.
 */
import { bogofilterInstalled, bogofilterSpamCutoff, runBogofilterFold, type BogofilterJudgement } from './bogofilter-run';
import { listCorpus } from './corpus';
import type { EvalOptions } from './eval-options';
import { buildReport, type EvalReport, type MessageResult } from './eval-report';
import { prepareMessage, runFilterFold, thresholds, warmCost, type PreparedMessage } from './filter-run';
import { dealFolds } from './folds';

export async function runEvaluation(
  options: Pick<EvalOptions, 'folds' | 'limit' | 'seed' | 'bogofilter'>,
  command: string,
  log: (line: string) => void = () => undefined,
): Promise<{ report: EvalReport; results: MessageResult[] }> {
  const started = performance.now();
  const dealt = dealFolds(await listCorpus(), options.folds, options.seed, options.limit);
  log(`${dealt.length} messages in ${options.folds} folds`);
  const prepared: PreparedMessage[] = [];
  for (const { item, fold } of dealt) prepared.push(await prepareMessage(item, fold));
  log(`parsed and tokenized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const withBogofilter = options.bogofilter && (await bogofilterInstalled());
  if (options.bogofilter && !withBogofilter) log('bogofilter is not installed: the filter alone');
  const results: MessageResult[] = [];
  for (let fold = 0; fold < options.folds; fold++) {
    const filter = runFilterFold(prepared, fold);
    const bogofilter = withBogofilter
      ? await runBogofilterFold(
          prepared.filter((m) => m.fold !== fold).map((m) => m.message),
          prepared.filter((m) => m.fold === fold).map((m) => m.message),
        )
      : new Map<string, BogofilterJudgement>();
    for (const [m, judgement] of filter) {
      const bogo = bogofilter.get(m.message.path);
      results.push({
        id: m.message.id,
        group: m.message.group,
        kind: m.message.kind,
        fold,
        filter: judgement,
        ...(bogo ? { bogofilter: bogo } : {}),
        tokens: m.tokens,
        parseMs: m.parseMs,
        tokenizeMs: m.tokenizeMs,
      });
    }
    log(`fold ${fold + 1}/${options.folds} done`);
  }
  const report = buildReport(results, {
    command,
    folds: options.folds,
    seed: options.seed,
    limit: options.limit,
    thresholds,
    bogofilterCutoff: withBogofilter ? await bogofilterSpamCutoff() : undefined,
    durationSeconds: (performance.now() - started) / 1000,
    warmCost: warmCost(prepared),
  });
  return { report, results };
}
