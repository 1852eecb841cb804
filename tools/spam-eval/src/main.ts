/**
 * `npm run spam-eval`: the spam filter's accuracy on the SpamAssassin
 * public corpus (issue 16). Stratified k-fold cross-validation over every
 * group of the corpus: each fold is scored by the service's own code with
 * a classifier trained on the other folds (filter-run.ts), and by
 * bogofilter trained on the same folds when it is installed. Prints a
 * summary and writes results.json, results.md and messages.jsonl (each
 * message's judgements, to look into) to --out.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EvalOptionError, parseEvalOptions, usage } from './eval-options';
import { renderMarkdown, renderSummary } from './eval-render';
import { runEvaluation } from './evaluation';

async function main(): Promise<void> {
  const options = parseEvalOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const { report, results } = await runEvaluation(options, `npm run spam-eval -- ${process.argv.slice(2).join(' ')}`.trim(), (line) => process.stderr.write(`${line}\n`));
  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'results.md'), renderMarkdown(report));
  await writeFile(join(outDir, 'messages.jsonl'), results.map((result) => `${JSON.stringify(result)}\n`).join(''));
  process.stdout.write(`${renderSummary(report)}\nresults in ${outDir}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof EvalOptionError ? `${error.message}\n\n${usage}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
