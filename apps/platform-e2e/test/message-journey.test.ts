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

const producer = 4;
const consumer = 5;

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
    const steps = lines.map((l) => /^\s+\S+Z\s+(\S+)\s+(\S+)/.exec(l)).filter((m) => m !== null).map((m) => `${m[1]} ${m[2]}`);
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
    const publishReceived = (s: ReceivedSpan) => s.service === 'smtp-ingress' && s.kind === producer && /inbound\.received$/.test(s.name);
    let trace: ReceivedSpan[] = [];
    await waitFor(
      () => {
        const root = otlp.spans.find(publishReceived);
        trace = root ? otlp.spans.filter((s) => s.traceId === root.traceId) : [];
        return trace.some((s) => s.service === 'mailbox-store' && s.kind === consumer) && trace.some((s) => s.name === 'smtp session');
      },
      { timeoutMs: 60_000, description: 'the mailbox-store consumer span and the SMTP session span in the trace of the received publish' },
    );
    expect(new Set(trace.map((s) => s.service))).toEqual(expect.objectContaining(new Set(['smtp-ingress', 'spam-filter', 'mailbox-store'])));
    for (const service of ['smtp-ingress', 'spam-filter', 'mailbox-store']) expect(trace.some((s) => s.service === service)).toBe(true);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const parentOf = (s: ReceivedSpan) => (s.parentSpanId ? byId.get(s.parentSpanId) : undefined);
    const consumeReceived = trace.find((s) => s.service === 'spam-filter' && s.kind === consumer);
    expect(parentOf(consumeReceived!)).toMatchObject({ service: 'smtp-ingress', kind: producer });
    const publishClassified = trace.find((s) => s.service === 'spam-filter' && s.kind === producer && /inbound\.classified$/.test(s.name));
    expect(publishClassified).toBeDefined();
    // the classified publish happens inside the consume span's handler
    let ancestor = parentOf(publishClassified!);
    while (ancestor && ancestor !== consumeReceived) ancestor = parentOf(ancestor);
    expect(ancestor).toBe(consumeReceived);
    const consumeClassified = trace.find((s) => s.service === 'mailbox-store' && s.kind === consumer);
    expect(parentOf(consumeClassified!)).toBe(publishClassified);
    // the trace begins at the SMTP connection: session span (root) → DATA → publish
    const publish = trace.find(publishReceived);
    const data = publish && parentOf(publish);
    expect(data).toMatchObject({ service: 'smtp-ingress', name: 'smtp DATA' });
    expect(data && parentOf(data)).toMatchObject({ name: 'smtp session', parentSpanId: undefined, attributes: expect.objectContaining({ 'mail.smtp.listener': 'inbound' }) });
  });
});
