import { describe, expect, it } from 'vitest';
import { readCodes } from './answer-codes';

describe('readCodes', () => {
  it('reads 127.0.0.2 and up as a listing', () => {
    expect(readCodes(['127.0.0.2'])).toBe('listed');
    expect(readCodes(['127.0.0.4', '127.0.0.10'])).toBe('listed');
    expect(readCodes(['127.0.1.2'])).toBe('listed');
  });

  it('reads Spamhaus error codes, 127.0.0.1 and non-loopback answers as errors, even beside a listing', () => {
    for (const code of ['127.255.255.252', '127.255.255.254', '127.255.255.255', '127.0.1.255', '127.0.0.1', '192.0.2.1', '::1']) {
      expect(readCodes([code])).toBe('error-code');
    }
    expect(readCodes(['127.0.0.2', '127.255.255.254'])).toBe('error-code');
  });
});
