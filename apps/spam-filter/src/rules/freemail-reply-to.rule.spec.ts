import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './freemail-reply-to.rule';

describe(rule.name, () => {
  it('hits a Reply-To: at a free mail provider, From: elsewhere', async () => {
    expect(rule.test(await viewOf({ From: 'Bank <service@bank.example>', 'Reply-To': 'bank.claims@gmail.com' }))).toBeTruthy();
  });

  it("misses a Reply-To: in the sender's own domain, or a free mail sender answering at the same provider", async () => {
    expect(rule.test(await viewOf({ 'Reply-To': 'team@example.org' }))).toBe(false);
    expect(rule.test(await viewOf({ From: 'Bob <bob@gmail.com>', 'Reply-To': 'bob.other@gmail.com' }))).toBe(false);
  });
});
