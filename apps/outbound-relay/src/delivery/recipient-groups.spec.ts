import { describe, expect, it } from 'vitest';
import { domainOf, groupByDomain, lookupDomain, uniqueMailboxes } from './recipient-groups';

describe('groupByDomain', () => {
  it('groups recipients by domain in order of first appearance', () => {
    expect(groupByDomain(['a@one.test', 'b@two.test', 'c@one.test'])).toEqual([
      { domain: 'one.test', recipients: ['a@one.test', 'c@one.test'] },
      { domain: 'two.test', recipients: ['b@two.test'] },
    ]);
  });

  it('compares domains case-insensitively but keeps each address as written', () => {
    expect(groupByDomain(['Ann@Example.TEST', 'bob@example.test'])).toEqual([{ domain: 'example.test', recipients: ['Ann@Example.TEST', 'bob@example.test'] }]);
  });

  it('drops repeats of one mailbox but not local parts differing in case (RFC 5321 §2.4)', () => {
    expect(uniqueMailboxes(['a@x.test', 'a@X.TEST', 'A@x.test', 'a@x.test'])).toEqual(['a@x.test', 'A@x.test']);
  });

  it('looks internationalized domains up by their A-labels and keeps address literals', () => {
    expect(lookupDomain('Bücher.example')).toBe('xn--bcher-kva.example');
    expect(groupByDomain(['x@[192.0.2.1]'])).toEqual([{ domain: '[192.0.2.1]', recipients: ['x@[192.0.2.1]'] }]);
  });

  it('takes the domain after the last @ (a quoted local part may contain one)', () => {
    expect(domainOf('"a@b"@example.test')).toBe('example.test');
  });
});
