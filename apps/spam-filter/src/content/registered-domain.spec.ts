import { describe, expect, it } from 'vitest';
import { registeredDomain } from './registered-domain';

describe('registeredDomain', () => {
  it('keeps the last two labels', () => {
    expect(registeredDomain('www.Example.COM')).toBe('example.com');
    expect(registeredDomain('a.b.c.example.net.')).toBe('example.net');
    expect(registeredDomain('example.org')).toBe('example.org');
  });

  it('keeps three under a known two-level public suffix', () => {
    expect(registeredDomain('shop.bargains.co.uk')).toBe('bargains.co.uk');
    expect(registeredDomain('mail.example.com.au')).toBe('example.com.au');
    expect(registeredDomain('co.uk')).toBeUndefined();
  });

  it('refuses single labels, IP addresses and invalid labels', () => {
    expect(registeredDomain('localhost')).toBeUndefined();
    expect(registeredDomain('192.0.2.1')).toBeUndefined();
    expect(registeredDomain('bad_label.example.com')).toBeUndefined();
    expect(registeredDomain('-x.example.com')).toBeUndefined();
  });
});
