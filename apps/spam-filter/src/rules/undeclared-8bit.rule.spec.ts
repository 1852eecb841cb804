import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './undeclared-8bit.rule';

describe(rule.name, () => {
  it('hits 8-bit text in a MIME part declaring no charset', async () => {
    expect(rule.test(await viewOf({ 'Content-Type': 'text/plain', 'Content-Transfer-Encoding': '8bit' }, Buffer.from('Gr\xfc\xdfe\r\n', 'latin1')))).toBeTruthy();
  });

  it('misses declared charsets and mail older than MIME', async () => {
    expect(rule.test(await viewOf({ 'Content-Type': 'text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding': '8bit' }, Buffer.from('Gr\xfc\xdfe\r\n', 'latin1')))).toBe(false);
    expect(rule.test(await viewOf({ 'MIME-Version': undefined, 'Content-Type': undefined }, Buffer.from('Gr\xfc\xdfe\r\n', 'latin1')))).toBe(false);
  });
});
