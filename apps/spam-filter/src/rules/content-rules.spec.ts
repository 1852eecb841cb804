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
