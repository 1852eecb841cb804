import { describe, expect, it } from 'vitest';
import { viewOf } from '../../test/content-rule-fixtures';
import rule from './forged-outlook.rule';

describe(rule.name, () => {
  it('hits an Outlook Express X-Mailer with a Message-ID Outlook does not write', async () => {
    expect(rule.test(await viewOf({ 'X-Mailer': 'Microsoft Outlook Express 6.00.2600.0000', 'Message-ID': '<ABCDEFG.12345@bulk.example>' }))).toBeTruthy();
  });

  it("misses Outlook's own Message-IDs, Hotmail's rewritten ones and other mailers", async () => {
    expect(rule.test(await viewOf({ 'X-Mailer': 'Microsoft Outlook Express 6.00.2600.0000', 'Message-ID': '<000801c2564a$1b2c3d40$6401a8c0@host>' }))).toBe(false);
    expect(rule.test(await viewOf({ 'X-Mailer': 'Microsoft Outlook Express 6.00.2600.0000', 'Message-ID': '<OE17BcN7DaJHFzrK0pW0001e900@hotmail.com>' }))).toBe(false);
    expect(rule.test(await viewOf({ 'X-Mailer': 'Apple Mail (2.3774)' }))).toBe(false);
  });
});
