/**
 * Following one message: `mailctl trace` prints its journey from the events
 * the streams keep, and the services' OpenTelemetry spans (exported over
 * OTLP/HTTP JSON to a receiver in this test) form one trace across
 * smtp-ingress, spam-filter and mailbox-store that begins at the SMTP
 * session, consumer spans parented by the producer spans through the NATS
 * headers. (A remote recipient: message-journey-remote.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { startMailStack, waitFor, type MailStack } from '@mail/testing';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { SpanKinds, waitForTrace } from './span-tree';

describe('the journey of one message', () => {
  let stack: MailStack;
  let otlp: OtlpReceiver;
  let queueId: string;

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    stack = await startMailStack({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', 'hungry')).code).toBe(0);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true, name: 'crepes.fr' });
    const info = await transport.sendMail({ from: 'alice@crepes.fr', to: 'bob@example.test', subject: 'ketchup', text: 'Do you like ketchup?', messageId: '<ketchup.1@crepes.fr>' });
    transport.close();
    queueId = /queued as (\S+)/.exec(info.response)?.[1] ?? '';
    expect(queueId).not.toBe('');
  });
  afterAll(async () => {
    await stack?.stop();
    await otlp?.close();
  });

  it('mailctl trace <queue-id> shows the sender, the spam score and the mailbox it was stored in', async () => {
    let out = '';
    await waitFor(
      async () => {
        const result = await stack.mailctl('trace', queueId);
        out = result.stdout;
        return result.code === 0 && out.includes('stored');
      },
      { description: 'the stored event in the journey' },
    );
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(`Journey of ${queueId}:`);
    const steps = lines
      .map((l) => /^\s+\S+Z\s+(\S+)\s+(\S+)/.exec(l))
      .filter((m) => m !== null)
      .map((m) => `${m[1]} ${m[2]}`);
    expect(steps).toEqual(['smtp-ingress received', 'spam-filter classified', 'mailbox-store stored']);
    expect(out).toMatch(/received\s+from 127\.0\.0\.1:\d+ HELO crepes\.fr on inbound/);
    expect(out).toContain('MAIL FROM:<alice@crepes.fr>  Message-ID: <ketchup.1@crepes.fr>');
    expect(out).toContain('RCPT TO:<bob@example.test> local');
    expect(out).toMatch(/classified\s+verdict deliver, spam score -?\d+\.\d/);
    expect(out).toMatch(/mailbox-store\s+stored\s+in mailbox bob@example\.test/);
  });

  it('mailctl trace <Message-ID> finds the same journey; an unknown id exits 1', async () => {
    const byMessageId = await stack.mailctl('trace', '<ketchup.1@crepes.fr>');
    expect(byMessageId.code).toBe(0);
    expect(byMessageId.stdout).toContain(`Journey of ${queueId}:`);
    const unknown = await stack.mailctl('trace', 'NoSuchQueueId42');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no events for queue id NoSuchQueueId42/);
  });

  it('exports one trace whose spans come from smtp-ingress, spam-filter and mailbox-store, correctly parented', async () => {
    const publishReceived = (s: ReceivedSpan) => s.service === 'smtp-ingress' && s.kind === SpanKinds.producer && /inbound\.received$/.test(s.name);
    const consumeReceived = (s: ReceivedSpan) => s.service === 'spam-filter' && s.kind === SpanKinds.consumer;
    const publishClassified = (s: ReceivedSpan) => s.service === 'spam-filter' && s.kind === SpanKinds.producer && /inbound\.classified$/.test(s.name);
    const consumeClassified = (s: ReceivedSpan) => s.service === 'mailbox-store' && s.kind === SpanKinds.consumer;
    // Three processes export on their own schedules: wait for every span asserted on below, with its parents
    const tree = await waitForTrace(otlp.spans, publishReceived, {
      'smtp session': (s) => s.service === 'smtp-ingress' && s.name === 'smtp session',
      'publish received': publishReceived,
      'spam-filter consume': consumeReceived,
      'publish classified': publishClassified,
      'mailbox-store consume': consumeClassified,
    });
    for (const service of ['smtp-ingress', 'spam-filter', 'mailbox-store']) expect(tree.services().has(service)).toBe(true);
    const consume = tree.find('spam-filter consume', consumeReceived);
    expect(tree.parentOf(consume)).toMatchObject({ service: 'smtp-ingress', kind: SpanKinds.producer });
    // the classified publish happens inside the consume span's handler
    const classified = tree.find('publish classified', publishClassified);
    expect(tree.isUnder(classified, consume)).toBe(true);
    expect(tree.parentOf(tree.find('mailbox-store consume', consumeClassified))).toBe(classified);
    // the trace begins at the SMTP connection: session span (root) → DATA → publish
    const data = tree.parentOf(tree.find('publish received', publishReceived));
    expect(data).toMatchObject({ service: 'smtp-ingress', name: 'smtp DATA' });
    expect(data && tree.parentOf(data)).toMatchObject({ name: 'smtp session', parentSpanId: undefined, attributes: expect.objectContaining({ 'mail.smtp.listener': 'inbound' }) });
  });
});
