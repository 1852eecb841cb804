import { describe, expect, it } from 'vitest';
import { parseDuration, parseQuantity } from './quantities';

describe('parseQuantity', () => {
  it('reads CPU and memory quantities', () => {
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(1)).toBe(1);
    expect(parseQuantity('256Mi')).toBe(256 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
  });

  it('refuses what is not a quantity', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });
});

describe('parseDuration', () => {
  it('reads the durations of @mail/config', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
  });

  it('refuses numbers without a unit', () => {
    expect(parseDuration('30')).toBeUndefined();
  });
});
