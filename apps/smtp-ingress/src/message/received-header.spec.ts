// Tests of received-header.ts: Received: formatting (RFC 5321 §4.4).
import { HeaderField } from '@mail/contracts';
import { describe, expect, it } from 'vitest';
import { formatRfc5322Date, receivedHeader, sanitizeHelo, withProtocol, type ReceivedFacts } from './received-header';

const facts: ReceivedFacts = {
  helo: 'crepes.fr',
  clientHostname: undefined,
  clientIp: '127.0.0.1',
  hostname: 'mx.example.test',
  extended: true,
  tls: false,
  authenticated: false,
  smtputf8: false,
  queueId: 'K7QX2M4W3JZ5N6PA8R2T4VYB',
  recipients: ['bob@example.test'],
  date: new Date(Date.UTC(2026, 10, 21, 9, 5, 3)),
};

describe('receivedHeader (RFC 5321 §4.4)', () => {
  it('writes from, by, with, id, for and the date, folded', () => {
    const field = receivedHeader(facts);
    expect(field.name).toBe('Received');
    expect(field.value).toBe('from crepes.fr (unknown [127.0.0.1])\r\n\tby mx.example.test with ESMTP id K7QX2M4W3JZ5N6PA8R2T4VYB\r\n\tfor <bob@example.test>; Sat, 21 Nov 2026 09:05:03 +0000');
    expect(HeaderField.safeParse(field).success).toBe(true);
  });

  it('names the verified client host and writes IPv6 literals with their tag', () => {
    const field = receivedHeader({ ...facts, clientHostname: 'client.example.test', clientIp: '2001:db8::1' });
    expect(field.value).toMatch(/^from crepes\.fr \(client\.example\.test \[IPv6:2001:db8::1\]\)\r\n/);
  });

  it('leaves out "for" with several recipients (no Bcc disclosure)', () => {
    const field = receivedHeader({ ...facts, recipients: ['bob@example.test', 'carol@example.test'] });
    expect(field.value).toBe('from crepes.fr (unknown [127.0.0.1])\r\n\tby mx.example.test with ESMTP id K7QX2M4W3JZ5N6PA8R2T4VYB; Sat, 21 Nov 2026 09:05:03 +0000');
  });

  it('cannot be forged through the HELO name', () => {
    expect(sanitizeHelo('evil.test)\r\n\tby forged;')).toBe('evil.test????by?forged?');
    expect(sanitizeHelo('')).toBe('unknown');
    expect(sanitizeHelo('[192.0.2.1]')).toBe('[192.0.2.1]');
    expect(HeaderField.safeParse(receivedHeader({ ...facts, helo: 'a\r\nX-Injected: yes' })).success).toBe(true);
  });
});

describe('withProtocol (RFC 3848, RFC 6531 §3.7.3)', () => {
  it('chooses SMTP, ESMTP, ESMTPS, ESMTPSA and UTF8SMTPS', () => {
    const base = { extended: true, tls: false, authenticated: false, smtputf8: false };
    expect(withProtocol({ ...base, extended: false })).toBe('SMTP');
    expect(withProtocol(base)).toBe('ESMTP');
    expect(withProtocol({ ...base, tls: true })).toBe('ESMTPS');
    expect(withProtocol({ ...base, tls: true, authenticated: true })).toBe('ESMTPSA');
    expect(withProtocol({ ...base, tls: true, smtputf8: true })).toBe('UTF8SMTPS');
  });
});

describe('formatRfc5322Date', () => {
  it('writes a UTC date-time with two-digit day (RFC 5322 §3.3)', () => {
    expect(formatRfc5322Date(new Date(Date.UTC(2027, 0, 4, 23, 59, 0)))).toBe('Mon, 04 Jan 2027 23:59:00 +0000');
  });
});
