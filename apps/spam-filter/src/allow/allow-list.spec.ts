import { describe, expect, it } from 'vitest';
import { allowListMatch, parseAllowList } from './allow-list';

describe('allow-list', () => {
  const list = parseAllowList(['Boss@Example.test', '@partner.test'], ['192.0.2.0/24', '2001:db8::/32', '198.51.100.7']);

  it('matches client addresses and CIDR blocks, IPv4 (also mapped) and IPv6', () => {
    expect(allowListMatch(list, { clientIp: '192.0.2.99' })).toMatch(/SPAM_ALLOW_IPS/);
    expect(allowListMatch(list, { clientIp: '::ffff:198.51.100.7' })).toMatch(/198\.51\.100\.7/);
    expect(allowListMatch(list, { clientIp: '2001:db8:1::5' })).toBeDefined();
    expect(allowListMatch(list, { clientIp: '198.51.100.8' })).toBeUndefined();
  });

  it('matches senders and @domains in MAIL FROM or From:, case-insensitively', () => {
    expect(allowListMatch(list, { mailFrom: 'boss@EXAMPLE.test' })).toMatch(/envelope sender/);
    expect(allowListMatch(list, { mailFrom: 'x@other.test', headerFrom: ['sales@partner.test'] })).toMatch(/From:/);
    expect(allowListMatch(list, { mailFrom: 'someone@example.test' })).toBeUndefined();
    expect(allowListMatch(list, { mailFrom: 'x@sub.partner.test' })).toBeUndefined();
  });

  it('does not trust a sender that authentication proves forged', () => {
    expect(allowListMatch(list, { mailFrom: 'boss@example.test', spfFailed: true })).toBeUndefined();
    expect(allowListMatch(list, { headerFrom: ['boss@example.test'], dmarcFailed: true })).toBeUndefined();
  });

  it('refuses malformed entries, naming the variable', () => {
    expect(() => parseAllowList(['not-an-address'], [])).toThrow(/SPAM_ALLOW_SENDERS/);
    expect(() => parseAllowList([], ['192.0.2.0/33'])).toThrow(/SPAM_ALLOW_IPS/);
    expect(() => parseAllowList([], ['example.test'])).toThrow(/SPAM_ALLOW_IPS/);
  });
});
