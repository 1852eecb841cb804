import { describe, expect, it } from 'vitest';
import { AddressList, AddressListError, unmapIPv4 } from './address-list';

describe('AddressList', () => {
  const list = AddressList.parse(['10.0.0.0/8', ' 192.0.2.10 ', '2001:db8::/32', '::1', '']);

  it('matches addresses and networks of both families', () => {
    expect(list.entries).toEqual(['10.0.0.0/8', '192.0.2.10', '2001:db8::/32', '::1']);
    expect(list.includes('10.1.2.3')).toBe(true);
    expect(list.includes('192.0.2.10')).toBe(true);
    expect(list.includes('192.0.2.11')).toBe(false);
    expect(list.includes('2001:db8:ffff::1')).toBe(true);
    expect(list.includes('2001:db9::1')).toBe(false);
    expect(list.includes('::1')).toBe(true);
    expect(list.includes('not an address')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 as IPv4 (RFC 4291 §2.5.5.2), in entries and addresses', () => {
    expect(list.includes('::ffff:10.9.9.9')).toBe(true);
    expect(AddressList.parse(['::ffff:127.0.0.1']).includes('127.0.0.1')).toBe(true);
    expect(unmapIPv4('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(unmapIPv4('2001:db8::1')).toBe('2001:db8::1');
  });

  it('trusts nothing when empty', () => {
    expect(AddressList.parse([]).empty).toBe(true);
    expect(AddressList.parse([]).includes('127.0.0.1')).toBe(false);
  });

  it.each(['example.test', '10.0.0.0/33', '2001:db8::/129', '10.0.0.0/8/8', '10.0.0.0/x', '300.0.0.1'])('refuses %s', (entry) => {
    expect(() => AddressList.parse([entry])).toThrow(AddressListError);
  });
});
