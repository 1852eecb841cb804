// Tests of ehlo.ts: the extension list (RFC 5321 §4.1.1.1) and STARTTLS advertisement.
import type { SecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../../test-support/command-harness';

describe('EHLO', () => {
  it('lists the extensions without enhanced codes (RFC 2034 §3)', async () => {
    const h = createHarness();
    expect(await converse(h, 'EHLO client.test\r\n')).toBe(
      ['250-mx.example.test Hello client.test', '250-PIPELINING', '250-SIZE 1000', '250-8BITMIME', '250-BINARYMIME', '250-ENHANCEDSTATUSCODES', '250-SMTPUTF8', '250-CHUNKING', '250 DSN', ''].join(
        '\r\n',
      ),
    );
    expect(h.ctx.state.helo).toEqual({ name: 'client.test', extended: true });
  });

  it('offers STARTTLS only with a certificate and before TLS (RFC 3207 §4.2)', async () => {
    const h = createHarness({ settings: { tls: { current: () => ({}) as SecureContext } } });
    expect(await converse(h, 'EHLO client.test\r\n')).toMatch(/250-DSN\r\n250 STARTTLS\r\n$/);
    h.ctx.state.tls = true;
    const overTls = await converse(h, 'EHLO client.test\r\n');
    expect(overTls).toMatch(/\r\n250 DSN\r\n$/);
    expect(overTls).not.toMatch(/STARTTLS/);
  });

  it('offers AUTH and no STARTTLS on submissions, TLS from the first byte (RFC 8314 §3.3, RFC 3207 §4.2)', async () => {
    const h = createHarness({ listener: 'submissions', settings: { tls: { current: () => ({}) as SecureContext } } });
    h.ctx.state.tls = true;
    expect(await converse(h, 'EHLO client.test\r\nSTARTTLS\r\n')).toMatch(/\r\n250-DSN\r\n250 AUTH PLAIN LOGIN\r\n503 5\.5\.1 .*TLS already active\r\n$/);
  });

  it('resets the transaction (RFC 5321 §4.1.4) and refuses over-long names', async () => {
    const h = createHarness();
    await converse(h, 'EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nEHLO c.test\r\n');
    expect(h.ctx.state.transaction).toBeUndefined();
    expect(await converse(h, `EHLO ${'a'.repeat(256)}\r\n`)).toMatch(/^501 5\.5\.4 /);
  });
});
