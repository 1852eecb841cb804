/**
 * The bench's results: one row per measured quantity, optionally beside the
 * same run's Postfix/Dovecot figure and checked against the target,
 * rendered as a terminal table, Markdown and JSON. Pure, so it is unit-tested.
 */

/** A target from issue 9: the value must be at least / at most `bound`. */
export interface Target {
  readonly kind: 'at-least' | 'at-most';
  readonly bound: number;
  readonly text: string;
}

export interface Measurement {
  readonly scenario: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity measured on the reference system in the same run. */
  readonly reference?: { readonly system: string; readonly value: number };
  readonly target?: Target;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: Readonly<Record<string, string>>;
  readonly command: string;
  readonly measurements: readonly Measurement[];
  /** Things skipped or that failed, with the reason. */
  readonly notes: readonly string[];
}

/** met / not yet / n/a (no target or value missing). */
export function targetStatus(measurement: Measurement): 'met' | 'not yet' | '' {
  const { target, value } = measurement;
  if (!target || !Number.isFinite(value)) return '';
  return (target.kind === 'at-least' ? value >= target.bound : value <= target.bound) ? 'met' : 'not yet';
}

/** Ours divided by the reference, e.g. "0.42×"; '' without a reference. */
export function ratioText(measurement: Measurement): string {
  const reference = measurement.reference;
  if (!reference || !(reference.value > 0) || !Number.isFinite(measurement.value)) return '';
  return `${(measurement.value / reference.value).toFixed(2)}×`;
}

/** A number with sensible precision: 3 significant digits below 100, whole numbers above. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

const header = ['scenario', 'metric', 'ours', 'reference (same run)', 'ratio', 'target', 'status'];

function rows(measurements: readonly Measurement[]): string[][] {
  return measurements.map((m) => [
    m.scenario,
    m.metric,
    // a reference-only row (a reference system's own process) has no value of ours
    Number.isFinite(m.value) ? `${formatNumber(m.value)} ${m.unit}` : '—',
    m.reference ? `${formatNumber(m.reference.value)} ${m.unit} (${m.reference.system})` : '',
    ratioText(m),
    m.target?.text ?? '',
    targetStatus(m),
  ]);
}

/** A fixed-width table for the terminal. */
export function renderTable(measurements: readonly Measurement[]): string {
  const all = [header, ...rows(measurements)];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

const escapeCell = (cell: string): string => cell.replaceAll('|', '\\|');

/** The whole report as Markdown: machine, command, table, notes. */
export function renderMarkdown(report: BenchReport): string {
  const table = [header, header.map(() => '---'), ...rows(report.measurements)].map((row) => `| ${row.map(escapeCell).join(' | ')} |`);
  const machine = Object.entries(report.machine).map(([key, value]) => `- ${key}: ${value}`);
  const notes = report.notes.length > 0 ? ['', '## Notes', '', ...report.notes.map((n) => `- ${n}`)] : [];
  return [
    `# Benchmark run ${report.startedAt}`,
    '',
    `Command: \`${report.command}\` (finished ${report.finishedAt})`,
    '',
    '## Machine',
    '',
    ...machine,
    '',
    '## Results',
    '',
    ...table,
    ...notes,
    '',
  ].join('\n');
}
