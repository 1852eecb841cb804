import { describe, expect, it } from 'vitest';
import { MailReceived } from './mail';

const valid = {
  version: 1,
  queueId: 'Q1234567890',
  receivedAt: '2026-11-21T10:00:00.000Z',
  session: { listener: 'inbound', clientIp: '127.0.0.1', helo: 'crepes.fr', tls: false },
  envelope: { mailFrom: 'alice@crepes.fr', recipients: [{ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test' }] },
  body: { bucket: 'mail_bodies', key: 'Q1234567890', size: 10, sha256: 'a'.repeat(64) },
};

describe('MailReceived schema', () => {
  it('accepts a valid payload and ignores unknown fields (additive evolution)', () => {
    const parsed = MailReceived.parse({ ...valid, futureField: 42 });
    expect(parsed.envelope.smtputf8).toBe(false);
    expect('futureField' in parsed).toBe(false);
  });

  it('rejects a payload with no recipients or a bad address, naming the field', () => {
    const noRecipients = MailReceived.safeParse({ ...valid, envelope: { ...valid.envelope, recipients: [] } });
    expect(noRecipients.success).toBe(false);
    const badAddress = MailReceived.safeParse({
      ...valid,
      envelope: { ...valid.envelope, recipients: [{ address: 'not an address', route: 'local' }] },
    });
    expect(badAddress.success).toBe(false);
    expect(JSON.stringify(badAddress.error?.issues[0]?.path)).toContain('recipients');
  });

  it('accepts the null reverse-path', () => {
    expect(MailReceived.safeParse({ ...valid, envelope: { ...valid.envelope, mailFrom: '' } }).success).toBe(true);
  });
});
