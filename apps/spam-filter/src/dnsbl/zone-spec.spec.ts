import { describe, expect, it } from 'vitest';
import { parseZoneSpec, splitZoneList } from './zone-spec';

describe('parseZoneSpec', () => {
  it('reads zone, code ranges and weight', () => {
    const spec = parseZoneSpec('zen.spamhaus.org=127.0.0.[2..11]*3');
    expect(spec.zone).toBe('zen.spamhaus.org');
    expect(spec.weight).toBe(3);
    expect(spec.matches?.('127.0.0.2')).toBe(true);
    expect(spec.matches?.('127.0.0.11')).toBe(true);
    expect(spec.matches?.('127.0.0.12')).toBe(false);
  });

  it('defaults to weight 1 and any code', () => {
    const spec = parseZoneSpec('bl.example.test');
    expect(spec).toMatchObject({ zone: 'bl.example.test', weight: 1, matches: undefined });
  });

  it('accepts code lists, Postfix-style [a;b..c] octets, and rejects malformed entries', () => {
    expect(parseZoneSpec('bl.test=127.0.0.2,127.0.0.4').matches?.('127.0.0.4')).toBe(true);
    const postfix = parseZoneSpec('bl.test=127.0.0.[2;4;10..11]*2');
    expect(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.10', '127.0.0.12'].map((c) => postfix.matches?.(c))).toEqual([true, false, true, true, false]);
    expect(() => parseZoneSpec('bl.test=127.0.2')).toThrow(/four octets/);
    expect(() => parseZoneSpec('bl.test=127.0.0.[2;5..]')).toThrow(/octet pattern/);
    expect(() => parseZoneSpec('bl test')).toThrow(/must look like zone/);
  });
});

describe('splitZoneList', () => {
  it('keeps a comma-separated code list with its zone', () => {
    expect(splitZoneList(['bl.test=127.0.0.2', '127.0.0.4*2', 'dbl.test*3'])).toEqual(['bl.test=127.0.0.2,127.0.0.4*2', 'dbl.test*3']);
    expect(splitZoneList(['a.test', 'b.test'])).toEqual(['a.test', 'b.test']);
  });
});
