/**
 * What the relay does with the ESMTP extensions a server offers or lacks:
 * DSN parameters passed on (RFC 3461 §5.2.1), SMTPUTF8 and 8-bit messages
 * returned rather than sent to servers without them (RFC 6531 §3.2, RFC
 * 6152 §3), a notice to a remote sender sent from `<>` through the relay
 * itself, and the body removed from the object store once delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@mail/testing';
import { startRelayHarness, type RelayHarness } from './relay-harness';

const sinks = { dsn: '127.0.0.2', plain: '127.0.0.3', old: '127.0.0.4', origin: '127.0.0.5' } as const;

describe('outbound-relay and ESMTP extensions', () => {
  let h: RelayHarness;

  beforeAll(async () => {
    h = await startRelayHarness(Object.values(sinks));
    h.sink(sinks.dsn).setBehaviour({ dsn: true });
    h.sink(sinks.old).setBehaviour({ eightBitMime: false, smtputf8: false });
    for (const [name, address] of Object.entries(sinks)) {
      h.dns.add(`${name}.test`, { type: 'MX', preference: 10, exchange: `mx.${name}.test` });
      h.dns.add(`mx.${name}.test`, { type: 'A', address });
    }
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('passes NOTIFY, ORCPT, RET and ENVID to a server that offers DSN, and leaves the success notice to it', async () => {
    const queueId = await h.queue([{ address: 'ann@dsn.test', route: 'remote', dsn: { notify: ['SUCCESS', 'FAILURE'], orcpt: 'rfc822;Ann+X@dsn.test' } }], {
      envelope: { dsnReturn: 'HDRS', dsnEnvelopeId: 'env 7' },
    });
    await h.waitForEvents(queueId, 1, 'delivered');
    const [transaction] = h.sink(sinks.dsn).delivered();
    expect(transaction?.mailParams).toMatchObject({ RET: 'HDRS', ENVID: 'env+207' });
    expect(transaction?.rcptParams).toEqual({ 'ann@dsn.test': { NOTIFY: 'SUCCESS,FAILURE', ORCPT: 'rfc822;Ann+2BX@dsn.test' } });
    await waitFor(() => h.output().includes(`"queueId":"${queueId}"`) && h.output().includes('recipient delivered'), { description: 'the delivery log line' });
    expect(h.received.filter((m) => m.queueId.startsWith(queueId))).toEqual([]);
  });

  it('sends no DSN parameters to a server without DSN, and reports `relayed` itself when asked', async () => {
    const queueId = await h.queue([{ address: 'bob@plain.test', route: 'remote', dsn: { notify: ['SUCCESS'] } }], { envelope: { dsnEnvelopeId: 'env8' } });
    const notice = await waitFor(() => h.received.find((m) => m.queueId.startsWith(`${queueId}-R`)), { description: 'the relayed notice' });
    const [transaction] = h.sink(sinks.plain).delivered();
    expect(transaction?.mailParams).not.toHaveProperty('ENVID');
    expect(transaction?.rcptParams).toEqual({});
    expect(notice.envelope).toMatchObject({ mailFrom: '', recipients: [{ address: 'sender@origin.test', route: 'local' }] });
    expect(notice.session).toMatchObject({ listener: 'submission', clientIp: '127.0.0.1', helo: 'relay.example.test' });
    const report = (await h.bus.bodies.readAll(notice.body)).toString();
    expect(report).toContain('Action: relayed\r\n');
    expect(report).toContain('Original-Envelope-Id: env8\r\n');
  });

  it('returns an SMTPUTF8 message to its sender instead of sending it to a server without SMTPUTF8', async () => {
    const queueId = await h.queue(['carol@old.test'], { envelope: { smtputf8: true }, body: Buffer.from('From: J\u00fcrgen <sender@origin.test>\r\nSubject: gr\u00fc\u00dfe\r\n\r\nhi\r\n') });
    const [event] = await h.waitForEvents(queueId, 1, 'bounced');
    expect(event?.detail).toMatch(/554 5\.6\.9 .*SMTPUTF8/);
    expect(h.sink(sinks.old).transactions.filter((t) => t.rcptTo.includes('carol@old.test'))).toEqual([]);
  });

  it('returns 8-bit content to a server without 8BITMIME, but sends a body declared 8BITMIME that is 7-bit', async () => {
    const eight = await h.queue(['dave@old.test'], { envelope: { bodyType: '8BITMIME' }, body: Buffer.from('Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n') });
    const [bounced] = await h.waitForEvents(eight, 1, 'bounced');
    expect(bounced?.detail).toMatch(/554 5\.6\.3 .*8BITMIME/);
    const seven = await h.queue(['erin@old.test'], { envelope: { bodyType: '8BITMIME' } });
    await h.waitForEvents(seven, 1, 'delivered');
    const sent = h
      .sink(sinks.old)
      .delivered()
      .find((t) => t.rcptTo.includes('erin@old.test'));
    expect(sent?.mailParams).not.toHaveProperty('BODY');
  });

  it('declares BODY=8BITMIME for 8-bit content to a server that offers it', async () => {
    const queueId = await h.queue(['fay@plain.test'], { envelope: { bodyType: '8BITMIME' }, body: Buffer.from('Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n') });
    await h.waitForEvents(queueId, 1, 'delivered');
    expect(
      h
        .sink(sinks.plain)
        .delivered()
        .find((t) => t.rcptTo.includes('fay@plain.test'))?.mailParams,
    ).toMatchObject({ BODY: '8BITMIME' });
  });

  it('sends a bounce for a remote sender from <> through the relay, and never bounces that bounce', async () => {
    h.sink(sinks.plain).setBehaviour({ rcpt: { 'gone@plain.test': 550 } });
    const queueId = await h.queue([{ address: 'gone@plain.test', route: 'remote' }], { mailFrom: 'writer@origin.test' });
    const bounce = await waitFor(
      () =>
        h
          .sink(sinks.origin)
          .delivered()
          .find((t) => t.rcptTo.includes('writer@origin.test')),
      {
        description: 'the bounce at the sender’s MX',
      },
    );
    expect(bounce.mailFrom).toBe('');
    expect(bounce.data.toString()).toMatch(/Content-Type: multipart\/report; report-type=delivery-status;/);
    expect(bounce.data.toString()).toContain(`X-Mail-Queue-ID: ${queueId}`);
    // The bounce of a bounce: the sender's server refuses it, and nothing more is sent
    h.sink(sinks.origin).setBehaviour({ rcpt: { 'writer@origin.test': 550 } });
    const second = await h.queue([{ address: 'gone@plain.test', route: 'remote' }], { mailFrom: 'writer@origin.test' });
    const noticeId = await waitFor(() => h.queued.find((q) => q.queueId.startsWith(`${second}-F`))?.queueId, { description: 'the second bounce queued' });
    await h.waitForEvents(noticeId, 1, 'bounced');
    await waitFor(() => new RegExp(`"queueId":"${noticeId}".*no delivery status notification to the null sender`).test(h.output()), { description: 'no notice about the notice' });
  });

  it('deletes the body once every recipient is settled, unless local recipients share it', async () => {
    const own = await h.queue(['gus@plain.test'], { localRecipients: 0 });
    const shared = await h.queue(['hal@plain.test'], { localRecipients: 1 });
    await h.waitForEvents(own, 1, 'delivered');
    await h.waitForEvents(shared, 1, 'delivered');
    const bodyOf = (key: string) => h.bus.bodies.readAll({ bucket: '', key, size: defaultSize, sha256: '0'.repeat(64) });
    await waitFor(
      async () =>
        await bodyOf(own).then(
          () => false,
          () => true,
        ),
      { description: 'the delivered body gone' },
    );
    expect((await bodyOf(shared)).length).toBe(defaultSize);
  });
});

const defaultSize = Buffer.byteLength('From: sender@origin.test\r\nSubject: relay test\r\n\r\nHello.\r\n');
