import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './subject-needless-encoding.rule';

describe(rule.name, () => {
  it('hits a subject encoded although plain ASCII', async () => {
    expect(rule.test(await viewOf({ Subject: '=?utf-8?B?RnJlZSBvZmZlcg==?=' }))).toBeTruthy();
  });

  it('misses an encoded subject that needs it, and a plain one', async () => {
    expect(rule.test(await viewOf({ Subject: '=?utf-8?Q?Gr=C3=BC=C3=9Fe?=' }))).toBe(false);
    expect(rule.test(await viewOf({}))).toBe(false);
  });
});
