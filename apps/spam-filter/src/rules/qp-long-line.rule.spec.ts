import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './qp-long-line.rule';

describe(rule.name, () => {
  it('hits a quoted-printable line over 76 characters', async () => {
    expect(rule.test(await viewOf({ 'Content-Transfer-Encoding': 'quoted-printable' }, `${'x'.repeat(100)}\r\n`))).toBeTruthy();
  });

  it('misses soft-broken lines', async () => {
    expect(rule.test(await viewOf({ 'Content-Transfer-Encoding': 'quoted-printable' }, `${'x'.repeat(75)}=\r\n${'x'.repeat(25)}\r\n`))).toBe(false);
  });
});
