import { describe, it, expect } from 'vitest';
import { domainProblem, isIPv4, isIPv6, isValidDomain, parseAddressLiteral } from './domain';

describe('domains (RFC 5321 §4.1.2)', () => {
  it('accepts host names', () => {
    for (const d of ['example.test', 'a', 'x-1.b2.TEST', '123.example']) expect(isValidDomain(d)).toBe(true);
  });

  it('names what is wrong', () => {
    expect(domainProblem('example.test.', false)?.reason).toBe('trailing dot in domain');
    expect(domainProblem('a..b', false)?.reason).toBe('empty label in domain');
    expect(domainProblem('a-.b', false)?.reason).toContain('"-"');
    expect(domainProblem('a_b.test', false)?.reason).toContain('invalid character');
    expect(domainProblem('', false)?.reason).toBe('empty domain');
  });

  it('allows U-labels only with SMTPUTF8 (RFC 6531 §3.3)', () => {
    expect(domainProblem('bücher.test', false)?.kind).toBe('non-ascii');
    expect(isValidDomain('bücher.test', { utf8: true })).toBe(true);
  });
});

describe('address literals (RFC 5321 §4.1.3)', () => {
  it('parses IPv4 and IPv6 literals', () => {
    expect(parseAddressLiteral('[192.0.2.1]')).toEqual({ kind: 'ipv4', ip: '192.0.2.1' });
    expect(parseAddressLiteral('[IPv6:2001:db8::1]')).toEqual({ kind: 'ipv6', ip: '2001:db8::1' });
    expect(parseAddressLiteral('[ipv6:::1]')).toEqual({ kind: 'ipv6', ip: '::1' });
    expect(parseAddressLiteral('[192.0.2.1')).toBeUndefined();
    expect(parseAddressLiteral('[tag:x]')).toBeUndefined();
  });

  it('validates IPv4', () => {
    expect(['0.0.0.0', '255.255.255.255', '192.0.2.01'].every(isIPv4)).toBe(true);
    expect(['256.0.0.1', '1.2.3', '1.2.3.4.5', '1.2.3.', 'a.b.c.d', '1234.1.1.1'].some(isIPv4)).toBe(false);
  });

  it('validates IPv6', () => {
    for (const ok of ['::', '::1', '2001:db8::', '1:2:3:4:5:6:7:8', '1::8', 'fe80::1:2:3:4:5:6', '::ffff:192.0.2.1', '1:2:3:4:5:6:192.0.2.1']) expect(isIPv6(ok), ok).toBe(true);
    for (const bad of ['', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::', '1:2:3:4:5:6:7:192.0.2.1', '::1.2.3', ':1:2:3:4:5:6:7']) expect(isIPv6(bad), bad).toBe(false);
  });
});
