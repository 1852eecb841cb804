import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './from-name-other-address.rule';

describe(rule.name, () => {
  it('hits a display name that is an address of another domain', async () => {
    expect(rule.test(await viewOf({ From: '"support@bank.example" <x7@mailer.invalid.example>' }))).toBeTruthy();
  });

  it("misses a display name repeating the sender's own address, and plain names", async () => {
    expect(rule.test(await viewOf({ From: 'alice@example.org <alice@example.org>' }))).toBe(false);
    expect(rule.test(await viewOf({ From: '=?utf-8?Q?Ren=C3=A9e?= <renee@example.org>' }))).toBe(false);
  });
});
