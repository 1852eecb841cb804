import { describe, expect, it } from 'vitest';
import { parseZoneSpec } from './zone-spec';

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

  it('accepts code lists and rejects malformed entries', () => {
    expect(parseZoneSpec('bl.test=127.0.0.2,127.0.0.4').matches?.('127.0.0.4')).toBe(true);
    expect(() => parseZoneSpec('bl.test=127.0.2')).toThrow(/four octets/);
    expect(() => parseZoneSpec('bl test')).toThrow(/DNSBL_ZONES/);
  });
});
