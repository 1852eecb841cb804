import { describe, expect, it } from 'vitest';
import { decideVerdict, foldAtCommas } from './policy';

const thresholds = { tagScore: 5, junkScore: 8 };
const now = new Date('2026-11-21T10:00:00Z');
const header = (verdict: ReturnType<typeof decideVerdict>, name: string) => verdict.headers.find((h) => h.name === name)?.value;

describe('decideVerdict', () => {
  it('delivers a clean message with X-Spam-Status: No and no stars', () => {
    const verdict = decideVerdict({ reasons: [] }, thresholds, now, 'mx.test');
    expect(verdict.action).toBe('deliver');
    expect(header(verdict, 'X-Spam-Status')).toBe('No, score=0.0 required=5.0 tests=none');
    expect(header(verdict, 'X-Spam-Level')).toBeUndefined();
  });

  it('tags at the tag score and junks at the junk score, naming the rules in order, with stars', () => {
    const tagged = decideVerdict({ reasons: [{ rule: 'RCVD_IN_BL_TEST', score: 5 }] }, thresholds, now, 'mx.test');
    expect(tagged.action).toBe('deliver');
    expect(header(tagged, 'X-Spam-Status')).toMatch(/^Yes, score=5.0 .*tests=RCVD_IN_BL_TEST$/);
    expect(header(tagged, 'X-Spam-Level')).toBe('*****');
    const junk = decideVerdict(
      {
        reasons: [
          { rule: 'SPF_FAIL', score: 3 },
          { rule: 'BAYES_99', score: 5.2 },
        ],
      },
      thresholds,
      now,
      'mx.test',
    );
    expect(junk).toMatchObject({ action: 'junk', score: 8.2 });
    expect(header(junk, 'X-Spam-Status')).toMatch(/tests=BAYES_99,SPF_FAIL$/);
    expect(header(junk, 'X-Spam-Flag')).toBe('YES');
  });

  it('never rejects after DATA, however high the score', () => {
    expect(decideVerdict({ reasons: [{ rule: 'A', score: 50 }] }, thresholds, now, 'mx.test').action).toBe('junk');
  });

  it('forces the allow-list score and delivers, keeping the other rules for the record', () => {
    const verdict = decideVerdict({ reasons: [{ rule: 'RCVD_IN_BL_TEST', score: 20 }], allowlisted: { rule: 'ALLOWLISTED', score: -100 } }, thresholds, now, 'mx.test');
    expect(verdict).toMatchObject({ action: 'deliver', score: -100 });
    expect(header(verdict, 'X-Spam-Status')).toBe('No, score=-100.0 required=5.0 tests=ALLOWLISTED,RCVD_IN_BL_TEST');
  });

  it('puts leading fields (Authentication-Results) first', () => {
    const verdict = decideVerdict({ reasons: [], leadingHeaders: [{ name: 'Authentication-Results', value: 'mx.test; spf=pass' }] }, thresholds, now, 'mx.test');
    expect(verdict.headers[0]?.name).toBe('Authentication-Results');
  });
});

describe('foldAtCommas', () => {
  it('folds long test lists at commas within 78 characters', () => {
    const value = `Yes, score=9.0 required=5.0 tests=${Array.from({ length: 12 }, (_, i) => `RULE_NUMBER_${i}`).join(',')}`;
    const folded = foldAtCommas('X-Spam-Status', value);
    const lines = `X-Spam-Status: ${folded}`.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => line.length <= 78)).toBe(true);
    expect(folded.replace(/\r\n\t/g, '')).toBe(value);
  });
});
