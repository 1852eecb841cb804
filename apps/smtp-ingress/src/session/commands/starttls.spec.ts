// Tests of starttls.ts: the upgrade and the state reset (RFC 3207).
import type { SecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { converse, createHarness } from '../../test-support/command-harness';

describe('STARTTLS', () => {
  it('answers 220, drops pipelined plain text and forgets EHLO (RFC 3207 §4.2, §6)', async () => {
    const h = createHarness({ settings: { tls: { current: () => ({}) as SecureContext } } });
    const replies = await converse(h, 'EHLO c.test\r\nSTARTTLS\r\nMAIL FROM:<a@b.test>\r\n');
    expect(replies).toMatch(/250 STARTTLS\r\n220 2\.0\.0 Ready to start TLS\r\n$/);
    expect(h.ctx.state).toMatchObject({ tls: true, helo: undefined, transaction: undefined });
    expect(await converse(h, 'MAIL FROM:<a@b.test>\r\n')).toMatch(/^503 5\.5\.1 .*HELO or EHLO first/);
  });

  it('is refused with 502 without a certificate', async () => {
    expect(await converse(createHarness(), 'EHLO c.test\r\nSTARTTLS\r\n')).toMatch(/502 5\.5\.1 STARTTLS not available\r\n$/);
  });
});
