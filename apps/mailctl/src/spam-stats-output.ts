/**
 * What `mailctl spam stats` prints from spam-filter's `spam.stats` reply:
 * the classifier's counts, the users' moves per day (moved out of Junk:
 * false positives; moved into Junk: missed spam) with their totals, and the
 * DNS list zones.
 */
import type { SpamFeedbackDay, SpamStatsResponse } from '@mail/contracts';
import { renderRows } from './render-rows';

function renderFeedback(days: readonly SpamFeedbackDay[] | undefined): string {
  if (days === undefined) return "users' moves: not reported by this spam-filter\n";
  const total = days.reduce((sum, d) => ({ falsePositives: sum.falsePositives + d.falsePositives, missedSpam: sum.missedSpam + d.missedSpam }), { falsePositives: 0, missedSpam: 0 });
  const rows = days.map((d) => ({ day: d.day, 'out of junk (false positives)': String(d.falsePositives), 'into junk (missed spam)': String(d.missedSpam) }));
  const heading = `users' moves, last ${days.length} days (UTC): ${total.falsePositives} out of Junk (false positives), ${total.missedSpam} into Junk (missed spam)\n`;
  return `${heading}${renderRows(rows)}`;
}

export function renderStats(stats: SpamStatsResponse): string {
  const state = stats.active ? 'active' : `inactive until it has learned ${stats.minMessages} of each class`;
  const classifier = [`classifier: ${state}`, `spam messages: ${stats.spamMessages} (${stats.spamTokens} tokens)`, `ham messages: ${stats.hamMessages} (${stats.hamTokens} tokens)`, ''].join('\n');
  const zones = stats.zones.map((z) => ({ zone: z.zone, kind: z.kind, weight: String(z.weight), state: z.healthy ? 'in use' : 'out of use', detail: z.detail ?? '' }));
  const zoneText = zones.length === 0 ? 'no DNS list zones configured\n' : renderRows(zones);
  return `${classifier}\n${renderFeedback(stats.feedback)}\n${zoneText}`;
}
