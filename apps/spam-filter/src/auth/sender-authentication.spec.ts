import { describe, expect, it } from 'vitest';
import { AUTH_MAX_HEADER_OCTETS, headerSectionFits } from './sender-authentication';

const field = (octets: number): string => `X-Pad: ${'a'.repeat(octets - 'X-Pad: \r\n'.length)}\r\n`;

describe('headerSectionFits', () => {
  it('accepts a header section that ends within the limit', () => {
    expect(headerSectionFits(Buffer.from(`Subject: hi\r\n\r\n${'b'.repeat(AUTH_MAX_HEADER_OCTETS * 2)}`), false)).toBe(true);
    expect(headerSectionFits(Buffer.from(`${field(AUTH_MAX_HEADER_OCTETS - 2)}\r\nbody`), true)).toBe(true);
  });

  it('refuses a header section that runs past the limit', () => {
    expect(headerSectionFits(Buffer.from(`${field(AUTH_MAX_HEADER_OCTETS)}\r\nbody`), true)).toBe(false);
    expect(headerSectionFits(Buffer.from(field(1000).repeat(100)), false)).toBe(false);
  });

  it('accepts a whole message without an empty line when it is small, not a truncated prefix', () => {
    expect(headerSectionFits(Buffer.from('Subject: only a header\r\n'), true)).toBe(true);
    expect(headerSectionFits(Buffer.from('Subject: only a header\r\n'), false)).toBe(false);
  });
});
