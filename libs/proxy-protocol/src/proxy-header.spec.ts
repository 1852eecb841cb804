import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikeProxyHeader, parseProxyHeader } from './proxy-header';
import { ProxyProtocolError } from './proxy-types';
import { V2_SIGNATURE } from './v2';

describe('parseProxyHeader', () => {
  it('waits for the first byte', () => {
    expect(parseProxyHeader(Buffer.alloc(0))).toEqual({ status: 'incomplete' });
  });

  it.each([
    ['an SMTP command', 'EHLO client.test\r\n'],
    ['HTTP', 'GET / HTTP/1.1\r\n'],
    ['a TLS ClientHello', '\x16\x03\x01\x02\x00'],
    ['one wrong byte', 'X'],
    ['"PROXY" without its space', 'PROXYTCP4'],
  ])('refuses %s from the first wrong byte', (_name, input) => {
    expect(() => parseProxyHeader(Buffer.from(input, 'latin1'))).toThrow(ProxyProtocolError);
  });

  it('never throws anything but ProxyProtocolError on random input (fuzz)', () => {
    for (let i = 0; i < 2000; i++) {
      const prefix = i % 3 === 0 ? V2_SIGNATURE : i % 3 === 1 ? Buffer.from('PROXY ') : Buffer.alloc(0);
      const input = Buffer.concat([prefix, randomBytes(i % 200)]);
      try {
        const result = parseProxyHeader(input);
        if (result.status === 'complete') expect(result.length).toBeLessThanOrEqual(input.length);
      } catch (error) {
        expect(error).toBeInstanceOf(ProxyProtocolError);
      }
    }
  });
});

describe('looksLikeProxyHeader', () => {
  it('spots a v1 or v2 header and nothing else', () => {
    expect(looksLikeProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4'))).toBe(true);
    expect(looksLikeProxyHeader(Buffer.concat([V2_SIGNATURE, Buffer.from([0x21])]))).toBe(true);
    expect(looksLikeProxyHeader(Buffer.from('PROX'))).toBe(false);
    expect(looksLikeProxyHeader(Buffer.from('EHLO x\r\n'))).toBe(false);
    expect(looksLikeProxyHeader(Buffer.from('\r\n\r\n'))).toBe(false);
  });
});
