/**
 * One policy from scores to actions. After DATA the message is already
 * accepted (the client got its 250), so the strongest post-DATA action is
 * Junk: an accepted message is never silently dropped. Rejection happens
 * in the SMTP session, before the 250.
 */
import type { SpamVerdict, VerdictReason } from '@mail/contracts';

export interface PolicyThresholds {
  readonly tagScore: number;
  readonly junkScore: number;
}

export function decideVerdict(reasons: VerdictReason[], thresholds: PolicyThresholds, now: Date, hostname: string): SpamVerdict {
  const score = Math.round(reasons.reduce((sum, r) => sum + r.score, 0) * 10) / 10;
  const action = score >= thresholds.junkScore ? 'junk' : 'deliver';
  const isSpam = score >= thresholds.tagScore;
  const tests = reasons.length === 0 ? 'none' : reasons.map((r) => r.rule).join(',');
  return {
    action,
    score,
    reasons,
    // The SpamAssassin form mail clients and filters already understand.
    headers: [
      { name: 'X-Spam-Checker-Version', value: `mail-platform spam-filter on ${hostname}` },
      { name: 'X-Spam-Status', value: `${isSpam ? 'Yes' : 'No'}, score=${score.toFixed(1)} required=${thresholds.tagScore.toFixed(1)} tests=${tests}` },
      { name: 'X-Spam-Score', value: score.toFixed(1) },
      { name: 'X-Spam-Flag', value: isSpam ? 'YES' : 'NO' },
    ],
    checkedAt: now.toISOString(),
  };
}
