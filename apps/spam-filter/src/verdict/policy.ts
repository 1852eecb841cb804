/**
 * One policy from rules to an action and the header fields to add.
 *
 * - tag (SPAM_TAG_SCORE, 5): `X-Spam-Status: Yes` and `X-Spam-Flag: YES`;
 * - junk (SPAM_JUNK_SCORE, 8): delivered to the recipient's Junk folder;
 * - reject (SPAM_REJECT_SCORE, 10): only during the SMTP session, before
 *   the 250, from the DNSBL score (spam.screen). After DATA the client has
 *   its 250 and the message is ours: refusing it now would mean a bounce to
 *   a probably forged sender (backscatter) or a silent drop, so the
 *   strongest post-DATA action is Junk.
 * - an allow-listed sender or client is delivered with the score forced to
 *   ALLOWLISTED (-100), whatever else fired; the other rules stay listed.
 *
 * The fields follow SpamAssassin's form, which mail clients and filters
 * already understand.
 */
import type { HeaderField, SpamVerdict, VerdictReason } from '@mail/contracts';

export interface PolicyThresholds {
  readonly tagScore: number;
  readonly junkScore: number;
}

export interface VerdictInput {
  readonly reasons: readonly VerdictReason[];
  /** Set when an allow-list matched: the ALLOWLISTED reason, whose score becomes the message's. */
  readonly allowlisted?: VerdictReason;
  /** Fields placed first (Authentication-Results:). */
  readonly leadingHeaders?: readonly HeaderField[];
}

/** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; fold the value at commas. */
export function foldAtCommas(name: string, value: string, width = 78): string {
  const parts = value.split(/(?<=,)/);
  const lines: string[] = [];
  let line = '';
  let room = width - name.length - 2;
  for (const part of parts) {
    if (line !== '' && line.length + part.length > room) {
      lines.push(line);
      line = '';
      room = width - 1;
    }
    line += part;
  }
  lines.push(line);
  return lines.join('\r\n\t');
}

export function decideVerdict(input: VerdictInput, thresholds: PolicyThresholds, now: Date, hostname: string): SpamVerdict {
  const reasons = input.allowlisted ? [input.allowlisted, ...input.reasons] : [...input.reasons];
  const sum = Math.round(input.reasons.reduce((total, r) => total + r.score, 0) * 10) / 10;
  const score = input.allowlisted ? input.allowlisted.score : sum;
  const action = !input.allowlisted && score >= thresholds.junkScore ? 'junk' : 'deliver';
  const isSpam = score >= thresholds.tagScore;
  const rules = [...new Set(reasons.map((r) => r.rule))].sort();
  const tests = rules.length === 0 ? 'none' : rules.join(',');
  const status = `${isSpam ? 'Yes' : 'No'}, score=${score.toFixed(1)} required=${thresholds.tagScore.toFixed(1)} tests=${tests}`;
  const stars = Math.min(Math.floor(score), 50);
  return {
    action,
    score,
    reasons,
    headers: [
      ...(input.leadingHeaders ?? []),
      { name: 'X-Spam-Checker-Version', value: `mail-platform spam-filter on ${hostname}` },
      { name: 'X-Spam-Status', value: foldAtCommas('X-Spam-Status', status) },
      { name: 'X-Spam-Score', value: score.toFixed(1) },
      ...(stars >= 1 ? [{ name: 'X-Spam-Level', value: '*'.repeat(stars) }] : []),
      { name: 'X-Spam-Flag', value: isSpam ? 'YES' : 'NO' },
    ],
    checkedAt: now.toISOString(),
  };
}
