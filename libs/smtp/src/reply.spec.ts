import { describe, it, expect } from 'vitest';
import { formatReply, normalizeEnhanced, SmtpReplyError, MAX_REPLY_LINE } from './reply';
import { C220ServiceReady, C250Ok, C354StartInput, C451LocalError, C550MailboxUnavailable, EsBadDestMailbox, EsOther, EsSystemOther } from './reply-codes';

describe('formatReply (RFC 5321 §4.2, RFC 2034)', () => {
  it('writes a single line with CRLF', () => {
    expect(formatReply(C250Ok, undefined, 'OK')).toBe('250 OK\r\n');
    expect(formatReply(C220ServiceReady, undefined, 'mx.example.test ESMTP')).toBe('220 mx.example.test ESMTP\r\n');
  });

  it('prefixes the enhanced code, taking the class from the reply code', () => {
    expect(formatReply(C550MailboxUnavailable, EsBadDestMailbox, 'No such user')).toBe('550 5.1.1 No such user\r\n');
    expect(formatReply(C451LocalError, EsSystemOther, 'Try later')).toBe('451 4.3.0 Try later\r\n');
    expect(formatReply(C250Ok, '2.0.0', 'OK')).toBe('250 2.0.0 OK\r\n');
  });

  it('writes multi-line replies with "-" continuation and the code on every line', () => {
    expect(formatReply(C250Ok, undefined, ['mx.example.test', 'PIPELINING', 'SIZE 1000'])).toBe('250-mx.example.test\r\n250-PIPELINING\r\n250 SIZE 1000\r\n');
    expect(formatReply(550, '5.7.1', ['Rejected', 'see https://example.test'])).toBe('550-5.7.1 Rejected\r\n550 5.7.1 see https://example.test\r\n');
  });

  it('splits embedded line breaks instead of injecting them', () => {
    expect(formatReply(C250Ok, EsOther, 'a\r\n250 fake\nb\rc')).toBe('250-2.0.0 a\r\n250-2.0.0 250 fake\r\n250-2.0.0 b\r\n250 2.0.0 c\r\n');
  });

  it('replaces other control characters', () => {
    expect(formatReply(C250Ok, undefined, 'a\x00b\x7fc\td')).toBe('250 a?b?c\td\r\n');
  });

  it('handles empty text', () => {
    expect(formatReply(C354StartInput, undefined, '')).toBe('354\r\n');
    expect(formatReply(C250Ok, '2.0.0', [])).toBe('250 2.0.0\r\n');
    expect(formatReply(C250Ok, undefined, ['', 'x'])).toBe('250-\r\n250 x\r\n');
  });

  it('writes a one-line printable ASCII text as the general path does (the array form), up to the line limit and past it', () => {
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).join('') + '\t';
    for (let n = 0; n < 200; n++) {
      const length = [1, 2, 40, 490, 497, 498, 499, 500, 505, 506, 507, 508, 600][n % 13] ?? 1;
      const text = Array.from({ length }, (_, i) => printable[(i * 31 + n * 7) % printable.length]).join('');
      for (const enhanced of [undefined, '2.0.0', '1.5']) {
        expect(formatReply(C250Ok, enhanced, text)).toBe(formatReply(C250Ok, enhanced, [text]));
      }
    }
  });

  it('keeps every wire line within 512 octets', () => {
    const wire = formatReply(550, '5.1.1', `unknown ${'ü'.repeat(600)}`);
    const lines = wire.split('\r\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(Buffer.byteLength(line) + 2).toBeLessThanOrEqual(MAX_REPLY_LINE);
    expect(lines.map((l) => l.slice(10)).join('')).toBe(`unknown ${'ü'.repeat(600)}`);
  });

  it('throws TypeError on programming errors', () => {
    expect(() => formatReply(199, undefined, 'x')).toThrow(TypeError);
    expect(() => formatReply(260, undefined, 'x')).toThrow(TypeError);
    expect(() => formatReply(250.5, undefined, 'x')).toThrow(TypeError);
    expect(() => formatReply(550, '4.1.1', 'x')).toThrow(/does not agree/);
    expect(() => formatReply(354, '0.0', 'x')).toThrow(/not allowed/);
    expect(() => formatReply(250, '2.0', 'x')).not.toThrow(); // "2.0" is a subject.detail
    expect(() => formatReply(250, 'x.y.z', 'x')).toThrow(TypeError);
  });
});

describe('normalizeEnhanced', () => {
  it('accepts "s.d" and "c.s.d"', () => {
    expect(normalizeEnhanced(452, '5.3')).toBe('4.5.3');
    expect(normalizeEnhanced(550, '5.7.23')).toBe('5.7.23');
    expect(normalizeEnhanced(550, undefined)).toBeUndefined();
    expect(normalizeEnhanced(550, '')).toBeUndefined();
  });
});

describe('SmtpReplyError', () => {
  it('carries the reply, the cause and fault', () => {
    const cause = new Error('db down');
    const err = new SmtpReplyError(451, '3.0', 'Local error', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('SmtpReplyError');
    expect(err.message).toBe('451 4.3.0 Local error');
    expect(err.cause).toBe(cause);
    expect(err.code).toBe(451);
    expect(err.enhanced).toBe('4.3.0');
    expect(err.userFault).toBe(false);
    expect(err.reply).toEqual({ code: 451, enhanced: '4.3.0', lines: ['Local error'] });
    expect(err.toWire()).toBe('451 4.3.0 Local error\r\n');
  });

  it('defaults userFault from the class and allows overriding it', () => {
    expect(new SmtpReplyError(501, '5.4', 'x').userFault).toBe(true);
    expect(new SmtpReplyError(554, '3.0', 'x', { userFault: false }).userFault).toBe(false);
    expect(new SmtpReplyError(500, undefined, ['a', 'b']).reply).toEqual({ code: 500, lines: ['a', 'b'] });
  });
});
