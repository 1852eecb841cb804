// Tests of capabilities.ts: the CAPA response of RFC 2449 §5-§6.

import { describe, expect, it } from 'vitest';
import { formatCapabilities } from './capabilities';
import { unstuffMultiline } from './multiline';

describe('formatCapabilities', () => {
  it('lists everything in order, as a complete multi-line response', () => {
    const reply = formatCapabilities({
      stls: true,
      sasl: ['PLAIN', 'SCRAM-SHA-256'],
      user: true,
      expire: 'NEVER',
      implementation: 'mail-pop3 0.1.0',
      loginDelay: 900,
    });
    expect(reply).toBe(
      [
        '+OK Capability list follows',
        'TOP',
        'UIDL',
        'USER',
        'RESP-CODES',
        'PIPELINING',
        'SASL PLAIN SCRAM-SHA-256',
        'STLS',
        'EXPIRE NEVER',
        'IMPLEMENTATION mail-pop3 0.1.0',
        'LOGIN-DELAY 900',
        '.',
        '',
      ].join('\r\n'),
    );
  });

  it('leaves out what is not offered', () => {
    const reply = formatCapabilities({ stls: false, sasl: [], user: false });
    expect(reply).toBe('+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\n.\r\n');
  });

  it('adds AUTH-RESP-CODE when asked (RFC 3206)', () => {
    expect(formatCapabilities({ stls: false, sasl: [], user: true, authRespCode: true })).toContain('RESP-CODES\r\nAUTH-RESP-CODE\r\n');
  });

  it('accepts per-user EXPIRE and LOGIN-DELAY 0', () => {
    const reply = formatCapabilities({ stls: false, sasl: [], user: false, expire: '30 USER', loginDelay: 0 });
    const body = unstuffMultiline(Buffer.from(reply.slice(reply.indexOf('\r\n') + 2), 'latin1')).toString('latin1');
    expect(body.split('\r\n')).toEqual(['TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'EXPIRE 30 USER', 'LOGIN-DELAY 0', '']);
  });

  it('rejects values that would corrupt the list', () => {
    const base = { stls: false, sasl: [], user: false } as const;
    expect(() => formatCapabilities({ ...base, sasl: ['plain'] })).toThrow(RangeError);
    expect(() => formatCapabilities({ ...base, sasl: ['PLAIN\r\nSTLS'] })).toThrow(RangeError);
    expect(() => formatCapabilities({ ...base, expire: 'soon' })).toThrow(RangeError);
    expect(() => formatCapabilities({ ...base, implementation: 'x\r\n.' })).toThrow(RangeError);
    expect(() => formatCapabilities({ ...base, implementation: ' ' })).toThrow(RangeError);
    expect(() => formatCapabilities({ ...base, loginDelay: -1 })).toThrow(RangeError);
    expect(() => formatCapabilities({ ...base, loginDelay: 1.5 })).toThrow(RangeError);
  });
});
