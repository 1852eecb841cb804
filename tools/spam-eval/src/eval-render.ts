/** The evaluation report as Markdown (results.md, docs/spam-evaluation.md) and as the table printed at the end of a run. */
import { formatPercent, type EvalReport, type Histogram, type Tally } from './eval-report';

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function tallyCells(t: Tally): string[] {
  const cells = [String(t.messages), `${t.tagged} (${formatPercent(t.tagged, t.messages)})`, `${t.junk} (${formatPercent(t.junk, t.messages)})`];
  if (t.bogofilterSpam !== undefined) cells.push(`${t.bogofilterSpam} (${formatPercent(t.bogofilterSpam, t.messages)})`);
  return cells;
}

function histogramTable(title: string, h: Histogram): string {
  return `${title}\n\n${table(
    ['', ...h.bins],
    [
      ['spam', ...h.spam],
      ['ham', ...h.ham],
    ],
  )}`;
}

export function renderMarkdown(report: EvalReport): string {
  const bogofilter = report.bogofilterCutoff !== undefined;
  const header = [
    '',
    'messages',
    `tagged (score ≥ ${report.thresholds.tagScore})`,
    `Junk (score ≥ ${report.thresholds.junkScore})`,
    ...(bogofilter ? [`bogofilter spam (≥ ${report.bogofilterCutoff})`] : []),
  ];
  const sections = [
    `Command: \`${report.command}\` — ${report.folds}-fold stratified cross-validation, seed ${report.seed}${report.limit ? `, a slice of ${report.limit} messages` : ''}, ${report.durationSeconds.toFixed(0)} s.`,
    table(header, [['**spam**', ...tallyCells(report.totals.spam)], ['**ham**', ...tallyCells(report.totals.ham)], ...report.groups.map((g) => [`${g.group} (${g.kind})`, ...tallyCells(g)])]),
    table(
      ['target', 'measured', 'wanted', 'met'],
      report.targets.map((t) => [t.name, t.value, t.target, t.met ? 'yes' : '**no**']),
    ),
    histogramTable('Score (Bayes and content rules; no DNS lists, no SPF/DKIM/DMARC):', report.scoreHistogram),
    histogramTable('Bayes probability:', report.probabilityHistogram),
    ...(report.bogofilterHistogram ? [histogramTable('bogofilter spamicity:', report.bogofilterHistogram)] : []),
    `Messages at or above each Bayes probability (what the BAYES_* scores are calibrated on):\n\n${table(
      ['p ≥', 'spam', 'ham'],
      report.calibration.map((c) => [String(c.atLeast), `${c.spam} (${formatPercent(c.spam, report.totals.spam.messages)})`, `${c.ham} (${formatPercent(c.ham, report.totals.ham.messages)})`]),
    )}`,
    ...(report.atBogofilterHam && report.bogofilterCutoff !== undefined
      ? [
          `At bogofilter's false positives (a score threshold chosen on these results, so an equal-ham comparison rather than a setting): score ≥ ${report.atBogofilterHam.score.toFixed(2)} flags ${report.atBogofilterHam.ham} ham and ${report.atBogofilterHam.spam} spam (${formatPercent(report.atBogofilterHam.spam, report.totals.spam.messages)}), against bogofilter's ${report.totals.ham.bogofilterSpam} ham and ${report.totals.spam.bogofilterSpam} spam (${formatPercent(report.totals.spam.bogofilterSpam ?? 0, report.totals.spam.messages)}) at ${report.bogofilterCutoff}.`,
        ]
      : []),
    `CPU per message (this thread, one core): parse ${report.cost.parseMsMean.toFixed(3)} ms, tokenize ${report.cost.tokenizeMsMean.toFixed(3)} ms as first seen (p99 ${report.cost.tokenizeMsP99.toFixed(3)} ms), warm ${report.cost.warmTokenizeMs.toFixed(3)} ms, token ids ${report.cost.warmTokenIdsMs.toFixed(3)} ms; ${report.cost.tokensMean.toFixed(0)} tokens.`,
  ];
  return `${sections.join('\n\n')}\n`;
}

/** The few lines printed at the end of a run. */
export function renderSummary(report: EvalReport): string {
  const { spam, ham } = report.totals;
  const line = (name: string, t: Tally) =>
    `${name.padEnd(6)} ${String(t.messages).padStart(6)}   tagged ${formatPercent(t.tagged, t.messages).padStart(8)}   junk ${formatPercent(t.junk, t.messages).padStart(8)}${t.bogofilterSpam === undefined ? '' : `   bogofilter ${formatPercent(t.bogofilterSpam, t.messages).padStart(8)}`}`;
  return [
    line('spam', spam),
    line('ham', ham),
    ...report.groups.map((g) => line(g.group.slice(0, 12), g)),
    ...report.targets.map((t) => `${t.met ? 'met    ' : 'NOT MET'} ${t.name}: ${t.value} (${t.target})`),
  ].join('\n');
}
