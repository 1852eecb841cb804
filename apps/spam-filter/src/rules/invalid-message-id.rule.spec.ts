import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './invalid-message-id.rule';

describe(rule.name, () => {
  it('hits a Message-ID without angle brackets or @', async () => {
    expect(rule.test(await viewOf({ 'Message-ID': '1234567890' }))).toBeTruthy();
  });

  it('misses <left@right>, with or without a comment', async () => {
    expect(rule.test(await viewOf({ 'Message-ID': '<abc.123@host.example> (sent)' }))).toBe(false);
  });
});
