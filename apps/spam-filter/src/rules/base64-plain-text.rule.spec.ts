import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './base64-plain-text.rule';

describe(rule.name, () => {
  it('hits a text/plain part base64-encoded although it is plain ASCII', async () => {
    expect(rule.test(await viewOf({ 'Content-Transfer-Encoding': 'base64' }, Buffer.from('Cheap watches, best prices.\r\n').toString('base64') + '\r\n'))).toBeTruthy();
  });

  it('misses base64 text that needs it (UTF-8 beyond ASCII) and unencoded text', async () => {
    expect(rule.test(await viewOf({ 'Content-Transfer-Encoding': 'base64' }, Buffer.from('Grüße aus Köln\r\n').toString('base64') + '\r\n'))).toBe(false);
    expect(rule.test(await viewOf({}))).toBe(false);
  });
});
