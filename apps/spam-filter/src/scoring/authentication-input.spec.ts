import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { authenticate } from 'mailauth';
import { authenticationInput, completeHeaderSection, signsBody } from './authentication-input';

const header = 'From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: large\r\nMessage-ID: <m1@example.org>\r\n\r\n';
const body = 'line of a large body\r\n'.repeat(4096);
const streamed = Readable.from([Buffer.from('streamed')]);

/** Every DNS answer is NXDOMAIN: the results depend on the message alone. */
async function nothingResolves(): Promise<never> {
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
}

async function verify(message: Buffer) {
  const result = await authenticate(message, {
    ip: '192.0.2.1',
    helo: 'mx.example.org',
    sender: 'alice@example.org',
    mta: 'mx.test',
    resolver: nothingResolves as never,
    disableBimi: true,
  });
  return { headers: result.headers, dkim: result.dkim?.results, arc: result.arc && result.arc.status, dmarc: result.dmarc && result.dmarc.status, spf: result.spf && result.spf.status };
}

describe('authenticationInput', () => {
  it('hands over a message read whole as it is', () => {
    const bytes = Buffer.from(header + 'short body\r\n');
    expect(authenticationInput({ bytes, truncated: false }, () => streamed)).toBe(bytes);
  });

  it('hands over only the header section of a truncated message that nothing signs', () => {
    const bytes = Buffer.from(header + body);
    const input = authenticationInput({ bytes, truncated: true }, () => streamed);
    expect(Buffer.isBuffer(input) && input.toString('latin1')).toBe(header);
  });

  it('streams a truncated message that carries a DKIM or ARC signature', () => {
    for (const field of ['DKIM-Signature: v=1; bh=x', 'dkim-signature : v=1', 'ARC-Message-Signature: i=1; bh=x', 'ARC-Seal: i=1']) {
      const bytes = Buffer.from(`Received: from a\r\n${field}\r\n${header}${body}`);
      expect(authenticationInput({ bytes, truncated: true }, () => streamed)).toBe(streamed);
    }
  });

  it('streams a truncated message whose header section does not end in the prefix', () => {
    expect(authenticationInput({ bytes: Buffer.from('Subject: x\r\nX-Long: yyyy'), truncated: true }, () => streamed)).toBe(streamed);
  });

  it('gives mailauth the same results for an unsigned message whole or as its header section', async () => {
    const whole = Buffer.from(header + body);
    const section = completeHeaderSection(whole);
    expect(section).toBeDefined();
    expect(await verify(section as Buffer)).toEqual(await verify(whole));
  });
});

describe('signsBody', () => {
  it('finds signature fields only at the start of a line', () => {
    expect(signsBody(Buffer.from('Subject: DKIM-Signature: no\r\nX-Note: arc-seal: no\r\n\r\n'))).toBe(false);
    expect(signsBody(Buffer.from('Subject: hi\nDKIM-Signature: v=1\n\n'))).toBe(true);
    expect(signsBody(Buffer.from('DKIM-Signature: v=1\r\n\r\n'))).toBe(true);
  });
});

describe('completeHeaderSection', () => {
  it('ends after the empty line, or is the empty line of a message without header fields', () => {
    expect(completeHeaderSection(Buffer.from('A: 1\r\n\r\nbody'))?.toString()).toBe('A: 1\r\n\r\n');
    expect(completeHeaderSection(Buffer.from('\r\nbody'))?.toString()).toBe('\r\n');
    expect(completeHeaderSection(Buffer.from('A: 1\r\n'))).toBeUndefined();
  });
});
