import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c';

describe('crc32c', () => {
  it('matches the RFC 3720 §B.4 check value and test vectors', () => {
    // The standard check value of CRC-32C: "123456789" → 0xE3069283
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    // RFC 3720 §B.4: 32 bytes of zeros → 0x8A9136AA; 32 bytes of 0xFF → 0x62A8AB43
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });
});
