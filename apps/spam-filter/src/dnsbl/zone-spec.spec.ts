import { describe, expect, it } from 'vitest';
import { parseZoneSpec, splitZoneList } from './zone-spec';

describe('parseZoneSpec', () => {
  it('reads zone, code ranges and weight', () => {
    const spec = parseZoneSpec('zen.spamhaus.org=127.0.0.[2..11]*3', 10);
    expect(spec.zone).toBe('zen.spamhaus.org');
    expect(spec.weight).toBe(3);
    expect(spec.matches?.('127.0.0.2')).toBe(true);
    expect(spec.matches?.('127.0.0.11')).toBe(true);
    expect(spec.matches?.('127.0.0.12')).toBe(false);
  });

  it('gives a zone without a weight the default weight (the reject score for DNSBL zones) and any code', () => {
    expect(parseZoneSpec('bl.example.test', 10)).toMatchObject({ zone: 'bl.example.test', weight: 10, matches: undefined });
    expect(parseZoneSpec('bl.example.test*0.5', 10).weight).toBe(0.5);
  });

  it('accepts code lists, Postfix-style [a;b..c] octets, and rejects malformed entries', () => {
    expect(parseZoneSpec('bl.test=127.0.0.2,127.0.0.4', 10).matches?.('127.0.0.4')).toBe(true);
    const postfix = parseZoneSpec('bl.test=127.0.0.[2;4;10..11]*2', 10);
    expect(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.10', '127.0.0.12'].map((c) => postfix.matches?.(c))).toEqual([true, false, true, true, false]);
    expect(() => parseZoneSpec('bl.test=127.0.2', 10)).toThrow(/four octets/);
    expect(() => parseZoneSpec('bl.test=127.0.0.[2;5..]', 10)).toThrow(/octet pattern/);
    expect(() => parseZoneSpec('bl test', 10)).toThrow(/must look like zone/);
  });
});

describe('splitZoneList', () => {
  it('keeps a comma-separated code list with its zone', () => {
    expect(splitZoneList(['bl.test=127.0.0.2', '127.0.0.4*2', 'dbl.test*3'])).toEqual(['bl.test=127.0.0.2,127.0.0.4*2', 'dbl.test*3']);
    expect(splitZoneList(['a.test', 'b.test'])).toEqual(['a.test', 'b.test']);
  });
});
