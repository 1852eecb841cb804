import { describe, expect, it } from 'vitest';
import { decideVerdict } from './policy';

const thresholds = { tagScore: 5, junkScore: 8 };
const now = new Date('2026-11-21T10:00:00Z');

describe('decideVerdict', () => {
  it('delivers a clean message with X-Spam-Status: No', () => {
    const verdict = decideVerdict([], thresholds, now, 'mx.test');
    expect(verdict.action).toBe('deliver');
    expect(verdict.headers.find((h) => h.name === 'X-Spam-Status')?.value).toBe('No, score=0.0 required=5.0 tests=none');
  });

  it('tags at the tag score and junks at the junk score, naming the rules', () => {
    const tagged = decideVerdict([{ rule: 'DNSBL_BL_TEST', score: 5 }], thresholds, now, 'mx.test');
    expect(tagged.action).toBe('deliver');
    expect(tagged.headers.find((h) => h.name === 'X-Spam-Status')?.value).toMatch(/^Yes, score=5.0 .*tests=DNSBL_BL_TEST$/);
    const junk = decideVerdict([{ rule: 'A', score: 5 }, { rule: 'B', score: 3 }], thresholds, now, 'mx.test');
    expect(junk.action).toBe('junk');
    expect(junk.score).toBe(8);
  });
});
