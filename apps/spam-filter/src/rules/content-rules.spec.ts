import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import { contentRuleReasons, contentRules, contentRuleScores, type MessageView } from './content-rules';

describe('contentRuleReasons', () => {
  it('finds nothing in a well-formed personal message', async () => {
    expect(contentRuleReasons(await viewOf({}))).toEqual([]);
  });

  it('scores each hit with its default, a detail where the rule gives one', async () => {
    const reasons = contentRuleReasons(await viewOf({ Date: undefined, 'Message-ID': '12345', Subject: 'FREE MONEY FOR YOU NOW' }));
    expect(reasons).toEqual([
      { rule: 'INVALID_MSGID', score: contentRuleScores.INVALID_MSGID, detail: '12345' },
      { rule: 'MISSING_DATE', score: contentRuleScores.MISSING_DATE },
      { rule: 'SUBJ_ALL_CAPS', score: contentRuleScores.SUBJ_ALL_CAPS },
    ]);
  });

  it('takes overridden scores and does not run a rule scored 0', async () => {
    const view = await viewOf({ Date: undefined, Subject: 'FREE MONEY FOR YOU NOW' });
    expect(contentRuleReasons(view, { MISSING_DATE: 2.5, SUBJ_ALL_CAPS: 0 })).toEqual([{ rule: 'MISSING_DATE', score: 2.5 }]);
  });

  it('skips a rule that throws instead of failing the message', () => {
    const broken = new Proxy({} as MessageView, {
      get() {
        throw new Error('broken view');
      },
    });
    expect(contentRuleReasons(broken)).toEqual([]);
    expect(contentRules.length).toBeGreaterThan(10);
  });
});

describe('content rules on hostile messages', () => {
  // Each shape would cost a quadratic scan seconds at this size; every rule together must stay far below.
  const hostile: [string, Record<string, string>, string][] = [
    ['unclosed comments', { 'Content-Type': 'text/html' }, '<!--'.repeat(60_000)],
    ['unclosed styles', { 'Content-Type': 'text/html' }, '<style>'.repeat(30_000)],
    ['anchors without an end', { 'Content-Type': 'text/html' }, '<a href=x>'.repeat(25_000)],
    ['anchor tags without >', { 'Content-Type': 'text/html' }, '<a '.repeat(80_000)],
    ['tags without >', { 'Content-Type': 'text/html' }, '<'.repeat(200_000)],
    ['a long display name', { From: `${'a'.repeat(30_000)} <x@example.org>` }, 'Hi.\r\n'],
    ['a long link text', { 'Content-Type': 'text/html' }, `<a href="http://x.example/">www.${'a'.repeat(3_000)}</a>`],
  ];
  for (const [name, headers, body] of hostile) {
    it(`stays linear: ${name}`, async () => {
      const view = await viewOf(headers, body);
      const started = performance.now();
      contentRuleReasons(view);
      expect(performance.now() - started).toBeLessThan(500);
    });
  }
});
