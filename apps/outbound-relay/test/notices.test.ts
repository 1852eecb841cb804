/**
 * Delivery status notifications end to end: mailbox-store, spam-filter and
 * the relay as real processes; the sender is a user of ours, so every
 * notice travels the inbound path and is read back from her mailbox through
 * mailbox-store's own requests. A permanent failure gives a well-formed RFC
 * 3464 report; NOTIFY=SUCCESS a `relayed` report; NOTIFY=NEVER nothing; a
 * message that keeps failing temporarily one `delayed` report.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { Bus } from '@mail/bus';
import { Events, Requests, type Envelope, type Recipient } from '@mail/contracts';
import { startMailStack, startSmtpSink, testNatsUrl, waitFor, type MailStack, type ServiceProcess, type SmtpSink } from '@mail/testing';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const alice = 'alice@local.test';

interface StoredMessage {
  readonly raw: Buffer;
  readonly parsed: ParsedMail;
  /** The message/delivery-status part, its field groups unfolded. */
  readonly status: string[];
}

describe('delivery status notifications to a local sender', () => {
  let stack: MailStack;
  let relay: ServiceProcess;
  let sink: SmtpSink;
  let bus: Bus;

  beforeAll(async () => {
    stack = await startMailStack({ services: ['mailbox-store', 'spam-filter'], env: { MAIL_HOSTNAME: 'mx.local.test' } });
    sink = await startSmtpSink({ host: '127.0.0.2' });
    sink.setBehaviour({
      rcpt: { 'gone@remote.test': { code: 550, enhanced: '5.1.1', text: 'No such user here' }, 'slow@remote.test': { code: 451, enhanced: '4.2.0', text: 'Greylisted' } },
    });
    stack.dns.add('remote.test', { type: 'MX', preference: 10, exchange: 'mx.remote.test' });
    stack.dns.add('mx.remote.test', { type: 'A', address: '127.0.0.2' });
    relay = await stack.start('outbound-relay', {
      OUTBOUND_SMTP_PORT: String(sink.port),
      OUTBOUND_RETRY_SCHEDULE: '1s',
      OUTBOUND_DELAY_NOTICE_AFTER: '2s',
      OUTBOUND_CONNECT_TIMEOUT: '2s',
    });
    expect((await stack.mailctl('domain', 'add', 'local.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', alice, '--password', 'wonderland')).code).toBe(0);
    bus = await Bus.connect({ url: testNatsUrl, name: 'notices-test', namespace: stack.env['NATS_NAMESPACE'] ?? '', log: silent });
  });
  afterAll(async () => {
    await bus?.close();
    await sink?.close();
    await stack?.stop();
  });

  /** Queues a message from alice, as spam-filter would after her submission. */
  async function queue(recipients: Recipient[], envelope: Partial<Envelope> = {}, subject = 'lunch'): Promise<string> {
    const queueId = `n${randomBytes(8).toString('hex')}`;
    const body = await bus.bodies.put(queueId, [Buffer.from(`From: Alice <${alice}>\r\nTo: friends\r\nSubject: ${subject}\r\nMessage-ID: <${queueId}@local.test>\r\n\r\nSee you at noon.\r\n`)]);
    const full = { mailFrom: alice, recipients, smtputf8: false, bodyType: '7BIT' as const, ...envelope };
    await bus.publish(Events.outboundQueued, { version: 1, queueId, queuedAt: new Date().toISOString(), envelope: full, body, traceHeaders: [], localRecipients: 0 }, `${queueId}:outbound`);
    return queueId;
  }

  /** Every message in alice's mailbox (INBOX and Junk), read through mailbox.list and mailbox.fetch. */
  async function mailbox(): Promise<StoredMessage[]> {
    const { entries } = await bus.request(Requests.listMailbox, { version: 1, user: alice, folders: ['INBOX', 'Junk'] });
    const messages: StoredMessage[] = [];
    for (const entry of entries) {
      const chunks: Buffer[] = [];
      for (let offset = 0, eof = false; !eof;) {
        const chunk = await bus.request(Requests.fetchChunk, { version: 1, user: alice, uid: entry.uid, offset, length: 64 * 1024 });
        const data = Buffer.from(chunk.data, 'base64');
        chunks.push(data);
        offset += data.length;
        eof = chunk.eof;
      }
      const raw = Buffer.concat(chunks);
      messages.push({ raw, parsed: await simpleParser(raw), status: statusGroups(raw) });
    }
    return messages;
  }

  /** The notice about `queueId` with this action, once it is in the mailbox. */
  async function notice(queueId: string, action: string): Promise<StoredMessage> {
    try {
      return await waitFor(async () => (await mailbox()).find((m) => m.status[0]?.includes(`X-Mail-Queue-ID: ${queueId}`) && m.status.some((g) => g.includes(`Action: ${action}`))), {
        timeoutMs: 30_000,
        description: `the ${action} notice about ${queueId} in alice's mailbox`,
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- relay ---\n${relay.output().slice(-3000)}`, { cause: error });
    }
  }

  it('puts a well-formed RFC 3464 bounce into the sender’s mailbox after a permanent failure', async () => {
    const queueId = await queue(
      [
        { address: 'gone@remote.test', route: 'remote', dsn: { notify: ['FAILURE'], orcpt: 'rfc822;Gone@Remote.test' } },
        { address: 'fine@remote.test', route: 'remote' },
      ],
      { dsnEnvelopeId: 'alice-42', dsnReturn: 'HDRS' },
    );
    const bounce = await notice(queueId, 'failed');
    const { parsed, raw, status } = bounce;
    expect(parsed.from?.value[0]?.address).toBe('MAILER-DAEMON@mx.local.test');
    expect(parsed.to).toMatchObject({ value: [{ address: alice }] });
    expect(parsed.subject).toBe('Undelivered Mail Returned to Sender');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/report', params: { 'report-type': 'delivery-status' } });
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    // RFC 3464 §2.2: per-message fields
    expect(status[0]).toContain('Reporting-MTA: dns; mx.local.test');
    expect(status[0]).toContain('Original-Envelope-Id: alice-42');
    expect(status[0]).toMatch(/Arrival-Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000/);
    // RFC 3464 §2.3: one recipient group, the failed one only (fine@ was delivered)
    expect(status).toHaveLength(2);
    expect(status[1]).toContain('Original-Recipient: rfc822; Gone@Remote.test');
    expect(status[1]).toContain('Final-Recipient: rfc822; gone@remote.test');
    expect(status[1]).toContain('Action: failed');
    expect(status[1]).toContain('Status: 5.1.1');
    expect(status[1]).toContain('Remote-MTA: dns; mx.remote.test');
    expect(status[1]).toContain('Diagnostic-Code: smtp; 550 5.1.1 No such user here');
    // The original header section (RET=HDRS), not the body
    const headers = parsed.attachments.find((a) => a.contentType === 'text/rfc822-headers');
    expect(headers?.content.toString()).toContain('Subject: lunch\r\n');
    expect(raw.toString()).not.toContain('See you at noon.');
    expect(parsed.text).toContain('<gone@remote.test>: mx.remote.test[127.0.0.2] said: 550 5.1.1 No such user here');
    expect(sink.delivered().some((t) => t.rcptTo.includes('fine@remote.test'))).toBe(true);
  });

  it('returns the whole message when the sender asked with RET=FULL', async () => {
    const queueId = await queue([{ address: 'gone@remote.test', route: 'remote' }], { dsnReturn: 'FULL' }, 'full return');
    const { parsed } = await notice(queueId, 'failed');
    const returned = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(returned?.content.toString()).toMatch(/^From: Alice <alice@local\.test>\r\n.*Subject: full return\r\n.*\r\n\r\nSee you at noon\.\r\n/s);
  });

  it('reports a relay to a server without DSN when NOTIFY=SUCCESS asked for it', async () => {
    const queueId = await queue([{ address: 'pal@remote.test', route: 'remote', dsn: { notify: ['SUCCESS'] } }]);
    const { parsed, status } = await notice(queueId, 'relayed');
    expect(parsed.subject).toBe('Successful Mail Delivery Report');
    expect(status[1]).toContain('Final-Recipient: rfc822; pal@remote.test');
    expect(status[1]).toContain('Status: 2.0.0');
    expect(status[1]).toContain('Diagnostic-Code: smtp; 250 2.0.0');
  });

  it('sends nothing for NOTIFY=NEVER, and leaves such recipients out of a bounce', async () => {
    const silentId = await queue([{ address: 'gone@remote.test', route: 'remote', dsn: { notify: ['NEVER'] } }]);
    const decision = new RegExp(`"queueId":"${silentId}","action":"failed".*NOTIFY does not ask for it`);
    await waitFor(() => decision.test(relay.output()), { description: 'the relay deciding not to notify' });
    const mixedId = await queue([
      { address: 'gone@remote.test', route: 'remote', dsn: { notify: ['NEVER'] } },
      { address: 'Gone@remote.test', route: 'remote', dsn: { notify: ['FAILURE'] } },
    ]);
    const { status } = await notice(mixedId, 'failed');
    expect(status.slice(1).map((g) => /Final-Recipient: rfc822; (\S+)/.exec(g)?.[1])).toEqual(['Gone@remote.test']);
    expect((await mailbox()).filter((m) => m.status[0]?.includes(`X-Mail-Queue-ID: ${silentId}`))).toEqual([]);
  });

  it('tells the sender once that a message is delayed, and keeps trying', async () => {
    const queueId = await queue([{ address: 'slow@remote.test', route: 'remote' }]);
    const { parsed, status } = await notice(queueId, 'delayed');
    expect(parsed.subject).toBe('Delayed Mail (still being retried)');
    expect(status[1]).toContain('Action: delayed');
    expect(status[1]).toContain('Status: 4.2.0');
    expect(status[1]).toMatch(/Will-Retry-Until: \w{3}, /);
    // More deferrals after the notice; still only one notice
    const attempts = () => sink.commands.filter((c) => /^RCPT TO:<slow@remote\.test>/i.test(c.line)).length;
    const seen = attempts();
    await waitFor(() => attempts() >= seen + 2, { description: 'two more attempts after the delay notice' });
    expect((await mailbox()).filter((m) => m.status[0]?.includes(`X-Mail-Queue-ID: ${queueId}`))).toHaveLength(1);
  });
});

/** The message/delivery-status part split into field groups, folded lines joined (RFC 3464 §2.1). */
function statusGroups(raw: Buffer): string[] {
  const text = raw.toString();
  const start = text.indexOf('Content-Type: message/delivery-status\r\n');
  if (start < 0) return [];
  const bodyStart = text.indexOf('\r\n\r\n', start) + 4;
  const end = text.indexOf('\r\n--', bodyStart);
  return text
    .slice(bodyStart, end)
    .replace(/\r\n[ \t]+/g, ' ')
    .split(/\r\n\r\n/)
    .filter((g) => g.trim() !== '');
}
