import { describe, expect, it } from 'vitest';
import type { SpamStatsResponse } from '@mail/contracts';
import { renderStats } from './spam-stats-output';

const stats: SpamStatsResponse = { spamMessages: 250, hamMessages: 300, spamTokens: 9000, hamTokens: 12000, minMessages: 200, active: true, zones: [] };

describe('renderStats', () => {
  it("shows the users' moves per day with their totals: out of Junk = false positives, into Junk = missed spam", () => {
    const text = renderStats({
      ...stats,
      feedback: [
        { day: '2026-11-20', falsePositives: 0, missedSpam: 3 },
        { day: '2026-11-21', falsePositives: 1, missedSpam: 2 },
      ],
    });
    expect(text).toContain("users' moves, last 2 days (UTC): 1 out of Junk (false positives), 5 into Junk (missed spam)\n");
    expect(text).toMatch(/^DAY\s+OUT OF JUNK \(FALSE POSITIVES\)\s+INTO JUNK \(MISSED SPAM\)$/m);
    expect(text).toMatch(/^2026-11-20\s+0\s+3$/m);
    expect(text).toMatch(/^2026-11-21\s+1\s+2$/m);
  });

  it('says so when spam-filter reports no moves (an older one), and shows the classifier and zones as before', () => {
    const text = renderStats({ ...stats, zones: [{ zone: 'zen.spamhaus.org', kind: 'ip', weight: 10, healthy: true }] });
    expect(text).toMatch(/^classifier: active\nspam messages: 250 \(9000 tokens\)/);
    expect(text).toContain("users' moves: not reported by this spam-filter\n");
    expect(text).toMatch(/^zen\.spamhaus\.org\s+ip\s+10\s+in use$/m);
  });
});
