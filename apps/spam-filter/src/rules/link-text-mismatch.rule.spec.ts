import { describe, expect, it } from 'vitest';
import { htmlHeaders, viewOf } from '../../test/content-rule-fixtures';
import rule from './link-text-mismatch.rule';

describe(rule.name, () => {
  it('hits a link showing one web address and leading to another domain', async () => {
    expect(rule.test(await viewOf(htmlHeaders, '<a href="http://login.evil.example/bank">https://www.bank.example/login</a>\r\n'))).toBeTruthy();
  });

  it('misses a link to the shown domain or its subdomain, and a brand name as the text', async () => {
    expect(rule.test(await viewOf(htmlHeaders, '<a href="https://secure.bank.example/login">www.bank.example</a>\r\n'))).toBe(false);
    expect(rule.test(await viewOf(htmlHeaders, '<a href="http://click.tracker.example/x">Walmart.com</a>\r\n'))).toBe(false);
  });
});
