import { describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import type { OutboundQueued } from '@mail/contracts';
import { noticeQueueId } from './notice-id';
import { buildReport, type ReportInput } from './report-message';
import { field, statusOf } from './status-fields';

const message: Pick<OutboundQueued, 'queueId' | 'queuedAt' | 'envelope'> = {
  queueId: 'Q1234567890',
  queuedAt: '2025-03-01T10:00:00.000Z',
  envelope: {
    mailFrom: 'alice@local.test',
    recipients: [
      { address: 'bob@remote.test', route: 'remote', dsn: { notify: ['FAILURE'], orcpt: 'rfc822;Bob@Remote.test' } },
      { address: 'carol@remote.test', route: 'remote' },
    ],
    smtputf8: false,
    bodyType: '7BIT',
    dsnEnvelopeId: 'env-42',
  },
};

const input: ReportInput = {
  action: 'failed',
  noticeId: noticeQueueId(message.queueId, 'failed', ['bob@remote.test', 'carol@remote.test']),
  hostname: 'relay.local.test',
  date: new Date('2025-03-01T10:05:00Z'),
  message,
  recipients: [
    {
      recipient: 'bob@remote.test',
      detail: 'mx.remote.test[192.0.2.1] said: 550 5.1.1 No such user (in reply to RCPT TO)',
      at: '2025-03-01T10:04:00.000Z',
      remote: { host: 'mx.remote.test', address: '192.0.2.1' },
      reply: { code: 550, enhanced: '5.1.1', lines: ['No such user'] },
    },
    { recipient: 'carol@remote.test', detail: 'remote.test: domain does not accept mail (null MX)', at: '2025-03-01T10:04:00.000Z', reply: { code: 556, enhanced: '5.1.10', lines: ['null MX'] } },
  ],
  returned: { kind: 'headers', content: Buffer.from('From: alice@local.test\r\nSubject: lunch\r\n') },
};

/** The delivery-status part split into its field groups (RFC 3464 §2.1). */
function statusGroups(bytes: Buffer): string[] {
  const text = bytes.toString();
  const start = text.indexOf('Content-Type: message/delivery-status\r\n\r\n') + 'Content-Type: message/delivery-status\r\n\r\n'.length;
  const end = text.indexOf('\r\n--=_report_', start);
  return text
    .slice(start, end)
    .split('\r\n\r\n')
    .map((group) => `${group.replace(/\r\n$/, '')}\r\n`);
}

describe('buildReport (RFC 3464, RFC 6522)', () => {
  it('is a multipart/report of delivery-status from MAILER-DAEMON to the envelope sender', async () => {
    const { bytes, eightBit } = buildReport(input);
    expect(eightBit).toBe(false);
    const parsed = await simpleParser(bytes);
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/report', params: { 'report-type': 'delivery-status' } });
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Mail Delivery System', address: 'MAILER-DAEMON@relay.local.test' });
    expect(parsed.to).toMatchObject({ text: 'alice@local.test' });
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.messageId).toBe(`<${input.noticeId}@relay.local.test>`);
    expect(parsed.text).toContain('<bob@remote.test>: mx.remote.test[192.0.2.1] said: 550 5.1.1 No such user');
    // mailparser shows message/delivery-status as text; the raw parts are checked below
    expect(bytes.toString()).toContain('\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA:');
    const headers = parsed.attachments.find((a) => a.contentType === 'text/rfc822-headers');
    expect(headers?.content.toString()).toBe('From: alice@local.test\r\nSubject: lunch\r\n');
  });

  it('has per-message fields, then one group per recipient with ORCPT, status, remote MTA and diagnostic', () => {
    const [perMessage, bob, folded] = statusGroups(buildReport(input).bytes);
    const carol = folded?.replace(/\r\n\t/g, ' ');
    expect(perMessage).toBe('Reporting-MTA: dns; relay.local.test\r\nOriginal-Envelope-Id: env-42\r\nX-Mail-Queue-ID: Q1234567890\r\nArrival-Date: Sat, 01 Mar 2025 10:00:00 +0000\r\n');
    expect(bob).toBe(
      [
        'Original-Recipient: rfc822; Bob@Remote.test',
        'Final-Recipient: rfc822; bob@remote.test',
        'Action: failed',
        'Status: 5.1.1',
        'Remote-MTA: dns; mx.remote.test',
        'Diagnostic-Code: smtp; 550 5.1.1 No such user',
        'Last-Attempt-Date: Sat, 01 Mar 2025 10:04:00 +0000',
        '',
      ].join('\r\n'),
    );
    expect(carol).toContain('Status: 5.1.10\r\n');
    expect(carol).toContain('Diagnostic-Code: X-Mail-Relay; remote.test: domain does not accept mail (null MX)\r\n');
    expect(carol).not.toContain('Remote-MTA');
  });

  it('returns the whole message as message/rfc822 for RET=FULL, marking 8-bit content', async () => {
    const full = Buffer.from('From: alice@local.test\r\nSubject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n');
    const report = buildReport({ ...input, returned: { kind: 'full', content: full } });
    expect(report.eightBit).toBe(true);
    const parsed = await simpleParser(report.bytes);
    const returned = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(returned?.content.equals(full)).toBe(true);
    expect(statusGroups(report.bytes)[1]).toContain('Final-Recipient: rfc822; bob@remote.test\r\n');
  });

  it('says when the relay gives up in a delay notice, and is the same octets when built again', () => {
    const delayed = { ...input, action: 'delayed' as const, retryUntil: new Date('2025-03-06T10:00:00Z'), recipients: input.recipients.slice(0, 1) };
    const [, bob] = statusGroups(buildReport(delayed).bytes);
    expect(bob).toContain('Action: delayed\r\n');
    expect(bob).toContain('Will-Retry-Until: Thu, 06 Mar 2025 10:00:00 +0000\r\n');
    expect(buildReport(delayed).bytes.equals(buildReport(delayed).bytes)).toBe(true);
  });
});

describe('status fields', () => {
  it('takes the enhanced code, else the reply class, else the action; expiry is 4.4.7', () => {
    expect(statusOf('failed', { reply: { code: 550, enhanced: '5.7.1', lines: [] } })).toBe('5.7.1');
    expect(statusOf('failed', { reply: { code: 554, lines: [] } })).toBe('5.0.0');
    expect(statusOf('delayed', {})).toBe('4.0.0');
    expect(statusOf('relayed', { reply: { code: 250, lines: [] } })).toBe('2.0.0');
    expect(statusOf('failed', { expired: true, reply: { code: 451, lines: [] } })).toBe('4.4.7');
  });

  it('folds long values at spaces and never lets control characters through', () => {
    const folded = field('Diagnostic-Code', `smtp; 550 ${'word '.repeat(30)}\r\nInjected: yes`);
    expect(folded.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    expect(folded).not.toMatch(/\r\nInjected/);
  });
});

describe('noticeQueueId', () => {
  it('is a valid queue id derived from the message, action and recipients (order-free)', () => {
    const id = noticeQueueId('x'.repeat(64), 'failed', ['b@x.test', 'a@x.test']);
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(id).toBe(noticeQueueId('x'.repeat(64), 'failed', ['a@x.test', 'b@x.test']));
    expect(id).not.toBe(noticeQueueId('x'.repeat(64), 'relayed', ['a@x.test', 'b@x.test']));
    expect(noticeQueueId('Q1', 'delayed', ['a@x.test'])).toBe(noticeQueueId('Q1', 'delayed', ['b@x.test']));
  });
});
