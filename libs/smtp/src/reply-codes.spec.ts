import { describe, it, expect } from 'vitest';
import * as codes from './reply-codes';
import { isPermanentNegative, isPositiveCompletion, isPositiveIntermediate, isTransientNegative } from './reply-codes';

describe('reply codes', () => {
  it('name each code after its value (C550… = 550)', () => {
    for (const [name, value] of Object.entries(codes)) {
      if (name.startsWith('C')) expect(name.slice(1, 4)).toBe(String(value));
    }
  });

  it('give enhanced codes as subject.detail (RFC 3463 §2)', () => {
    for (const [name, value] of Object.entries(codes)) {
      if (name.startsWith('Es')) expect(value).toMatch(/^\d{1,3}\.\d{1,3}$/);
    }
  });

  it('classify replies (RFC 5321 §4.2.1)', () => {
    expect([250, 354, 421, 550].map(isPositiveCompletion)).toEqual([true, false, false, false]);
    expect([250, 354, 421, 550].map(isPositiveIntermediate)).toEqual([false, true, false, false]);
    expect([250, 354, 421, 550].map(isTransientNegative)).toEqual([false, false, true, false]);
    expect([250, 354, 421, 550].map(isPermanentNegative)).toEqual([false, false, false, true]);
  });
});
