import { describe, expect, it } from 'vitest';
import type { MailClassified, MailReceived } from '@mail/contracts';
import { parseTraceCommand, renderJourney, type JourneyEvent } from './trace-command';

const received: MailReceived = {
  version: 1,
  queueId: 'Q1234567890',
  receivedAt: '2025-01-01T10:00:00.000Z',
  session: { listener: 'inbound', clientIp: '192.0.2.7', helo: 'crepes.fr', tls: false },
  envelope: { mailFrom: 'alice@crepes.fr', recipients: [{ address: 'bob@example.test', route: 'local', mailbox: 'bob@example.test' }], smtputf8: false, bodyType: '7BIT' },
  body: { bucket: 'b', key: 'Q1234567890', size: 10, sha256: 'a'.repeat(64) },
  traceHeaders: [],
  messageIdHeader: '<m1@crepes.fr>',
};
const classified: MailClassified = {
  ...received,
  verdict: { action: 'junk', score: 8.5, reasons: [{ rule: 'DNSBL', score: 6, detail: 'listed in bl.example.test' }], headers: [], checkedAt: '2025-01-01T10:00:00.050Z' },
};

describe('parseTraceCommand', () => {
  it('takes a queue id or a Message-ID with or without brackets', () => {
    expect(parseTraceCommand(['Q1234567890'], false)).toEqual({ kind: 'run', target: { kind: 'queue-id', queueId: 'Q1234567890' } });
    expect(parseTraceCommand(['<m1@crepes.fr>'], false)).toEqual({ kind: 'run', target: { kind: 'message-id', messageId: 'm1@crepes.fr' } });
    expect(parseTraceCommand(['m1@crepes.fr'], false)).toEqual({ kind: 'run', target: { kind: 'message-id', messageId: 'm1@crepes.fr' } });
  });
  it('refuses a missing, malformed or extra argument', () => {
    expect(parseTraceCommand([], false).kind).toBe('invalid');
    expect(parseTraceCommand(['x!'], false).kind).toBe('invalid');
    expect(parseTraceCommand(['Q1234567890', 'more'], false).kind).toBe('invalid');
    expect(parseTraceCommand([], true).kind).toBe('help');
  });
});

describe('renderJourney', () => {
  it('prints the steps in time order with sender, verdict and mailbox', () => {
    const events: JourneyEvent[] = [
      { kind: 'delivery', payload: { version: 1, queueId: 'Q1234567890', at: '2025-01-01T10:00:00.090Z', service: 'mailbox-store', recipient: 'bob@example.test', outcome: 'stored' } },
      { kind: 'classified', payload: classified },
      { kind: 'received', payload: received },
    ];
    const text = renderJourney('Q1234567890', events);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Journey of Q1234567890:');
    expect(lines[1]).toMatch(/smtp-ingress\s+received\s+from 192\.0\.2\.7 HELO crepes\.fr on inbound$/);
    expect(text).toContain('MAIL FROM:<alice@crepes.fr>  Message-ID: <m1@crepes.fr>');
    expect(text).toMatch(/spam-filter\s+classified\s+verdict junk, spam score 8\.5\n\s+DNSBL \+6\.0 {2}listed in bl\.example\.test/);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/mailbox-store\s+stored\s+in mailbox bob@example\.test$/);
  });
});
