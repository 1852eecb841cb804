// Tests of listings.ts: drop, scan and unique-id listings (RFC 1939 §5, §7).

import { describe, expect, it } from 'vitest';
import { formatDropListing, formatScanListing, formatUniqueIdListing } from './listings';
import { formatListing } from './multiline';
import { ok } from './response';

describe('listings', () => {
  it('formats the RFC 1939 STAT and LIST examples', () => {
    expect(formatDropListing(2, 320)).toBe('+OK 2 320\r\n');
    expect(ok(formatScanListing(2, 200))).toBe('+OK 2 200\r\n');
    const list = ok('2 messages (320 octets)') + formatListing([formatScanListing(1, 120), formatScanListing(2, 200)]);
    expect(list).toBe('+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n');
  });

  it('formats the RFC 1939 UIDL example', () => {
    expect(formatUniqueIdListing(1, 'whqtswO00WBw418f9t5JxYwZ')).toBe('1 whqtswO00WBw418f9t5JxYwZ');
    expect(formatDropListing(0, 0)).toBe('+OK 0 0\r\n');
  });

  it('rejects numbers and ids that would break the format', () => {
    expect(() => formatDropListing(-1, 0)).toThrow(RangeError);
    expect(() => formatDropListing(1, 1.5)).toThrow(RangeError);
    expect(() => formatScanListing(0, 10)).toThrow(RangeError);
    expect(() => formatScanListing(1, Number.NaN)).toThrow(RangeError);
    expect(() => formatUniqueIdListing(1, '')).toThrow(RangeError);
    expect(() => formatUniqueIdListing(1, 'has space')).toThrow(RangeError);
    expect(() => formatUniqueIdListing(1, 'x'.repeat(71))).toThrow(RangeError);
    expect(formatUniqueIdListing(1, 'x'.repeat(70))).toBe(`1 ${'x'.repeat(70)}`);
  });
});
