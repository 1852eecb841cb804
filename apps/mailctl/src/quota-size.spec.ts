/** Unit tests of quota-size.ts: octets, binary units and `none`. */
import { describe, expect, it } from 'vitest';
import { parseQuotaSize } from './quota-size';

describe('parseQuotaSize', () => {
  it('reads octets, binary units in any case, and none', () => {
    expect(parseQuotaSize('0')).toBe(0);
    expect(parseQuotaSize('1048576')).toBe(1048576);
    expect(parseQuotaSize('512k')).toBe(512 * 1024);
    expect(parseQuotaSize('10M')).toBe(10 * 1024 * 1024);
    expect(parseQuotaSize('10MB')).toBe(10 * 1024 * 1024);
    expect(parseQuotaSize('10MiB')).toBe(10 * 1024 * 1024);
    expect(parseQuotaSize('1G')).toBe(1024 ** 3);
    expect(parseQuotaSize('2T')).toBe(2 * 1024 ** 4);
    expect(parseQuotaSize('100B')).toBe(100);
    expect(parseQuotaSize('none')).toBeNull();
    expect(parseQuotaSize('NONE')).toBeNull();
  });

  it('refuses anything else', () => {
    for (const text of ['', '-1', '1.5G', '10 M', 'ten', '10X', '99999999999999999999', '9999999T']) expect(parseQuotaSize(text), text).toBeUndefined();
  });
});
