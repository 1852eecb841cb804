/** The printed figures: one aligned text row per fault phase, then the total. */
import type { PhaseTally } from './tally';

const columns: readonly [string, (row: PhaseTally) => string | number][] = [
  ['phase', (r) => r.phase],
  ['sent', (r) => r.sent],
  ['attempts', (r) => r.attempts],
  ['accepted', (r) => r.accepted],
  ['refused', (r) => r.refused],
  ['unconfirmed', (r) => `${r.unconfirmed} (${r.unconfirmedStoredOnce} once/${r.unconfirmedNotStored} none)`],
  ['stored', (r) => r.stored],
  ['delivered', (r) => r.delivered],
  ['lost', (r) => r.lost],
  ['duplicated', (r) => r.duplicated],
  ['relay-window', (r) => r.relayWindow],
  ['leaked', (r) => r.leaked],
];

export function formatTable(rows: readonly PhaseTally[]): string {
  const cells = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, value]) => String(value(row))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]?.length ?? 0)));
  const render = (line: string[]) => line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const body = cells.slice(1).map(render);
  return [render(cells[0] ?? []), rule, ...body.slice(0, -1), rule, ...body.slice(-1)].join('\n');
}
