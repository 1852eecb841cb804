/**
 * The trace of a message to a REMOTE recipient: submitted with AUTH, it
 * goes smtp-ingress → spam-filter → outbound-relay → the remote MX (a sink
 * found through MX records in the dns2 server). One trace id, from the SMTP
 * connection's session span to the delivery attempt, correctly parented,
 * with the PostgreSQL, Redis and DNS calls made on the way. Also: a POP3
 * session with its RETR span (a local message), and the logs of the whole run — the trace and
 * span id on every line about the message, its queue id on every line of
 * the services downstream, and never a password or an AUTH exchange.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { Pop3Client } from '@mail/pop3-client';
import { startMailStack, startSmtpSink, waitFor, type MailStack, type SmtpSink } from '@mail/testing';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { logLine, waitForLogLines } from './service-logs';
import { SpanKinds, waitForTrace, type ExpectedSpans, type SpanTree } from './span-tree';

const password = 'hungry-for-ketchup';
const isDelivery = (s: ReceivedSpan) => s.service === 'outbound-relay' && s.name === 'smtp delivery attempt';
const isPg = (s: ReceivedSpan) => s.name.startsWith('pg.') && (s.attributes['db.system'] ?? s.attributes['db.system.name']) === 'postgresql';
const isRedis = (s: ReceivedSpan) => (s.attributes['db.system'] ?? s.attributes['db.system.name']) === 'redis';
const isSmtpSession = (s: ReceivedSpan) => s.service === 'smtp-ingress' && s.name === 'smtp session';
const isSmtpCommand = (command: string) => (s: ReceivedSpan) => s.service === 'smtp-ingress' && s.name === `smtp ${command}`;
const isPublishReceived = (s: ReceivedSpan) => s.service === 'smtp-ingress' && s.kind === SpanKinds.producer && /inbound\.received$/.test(s.name);
const isPublishQueued = (s: ReceivedSpan) => s.service === 'spam-filter' && s.kind === SpanKinds.producer && /outbound\.queued$/.test(s.name);
const isConsumerOf = (service: string) => (s: ReceivedSpan) => s.service === service && s.kind === SpanKinds.consumer;
const isMxLookup = (s: ReceivedSpan) => s.service === 'outbound-relay' && s.name === 'dns MX';
const isMailboxStoreServe = (s: ReceivedSpan) => s.service === 'mailbox-store' && s.kind === SpanKinds.server;

describe('the journey of a message to a remote recipient', () => {
  let stack: MailStack;
  let otlp: OtlpReceiver;
  let sink: SmtpSink;
  let queueId: string;
  let localQueueId: string;

  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    sink = await startSmtpSink({ host: '127.0.0.2' });
    stack = await startMailStack({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OUTBOUND_SMTP_PORT: String(sink.port),
        // The test client is on loopback without TLS
        SUBMISSION_ALLOW_PLAINTEXT_AUTH: 'true',
      },
    });
    stack.dns.add('remote.test', { type: 'MX', preference: 10, exchange: 'mx.remote.test' });
    stack.dns.add('mx.remote.test', { type: 'A', address: '127.0.0.2' });
    expect((await stack.mailctl('domain', 'add', 'example.test')).code).toBe(0);
    expect((await stack.mailctl('user', 'add', 'bob@example.test', '--password', password)).code).toBe(0);
    // Only authenticated submission may relay
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.submissionPort,
      secure: false,
      ignoreTLS: true,
      name: 'laptop.example.test',
      auth: { user: 'bob@example.test', pass: password },
    });
    const info = await transport.sendMail({ from: 'bob@example.test', to: 'carol@remote.test', subject: 'mustard', text: 'And mustard?', messageId: '<mustard.1@example.test>' });
    transport.close();
    queueId = /queued as (\S+)/.exec(info.response)?.[1] ?? '';
    expect(queueId).not.toBe('');
    await waitFor(() => sink.transactions.some((t) => t.rcptTo.includes('carol@remote.test')), { timeoutMs: 90_000, description: 'the message at the remote MX' });
    // and a local message for bob, to read over POP3
    const inbound = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    const local = await inbound.sendMail({ from: 'alice@crepes.fr', to: 'bob@example.test', subject: 'pickles', text: 'Pickles too.' });
    inbound.close();
    localQueueId = /queued as (\S+)/.exec(local.response)?.[1] ?? '';
    expect(localQueueId).not.toBe('');
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
    await otlp?.close();
  });

  /** The trace of the delivery attempt, once `expected` and their parents have been exported (by four processes, each on its own schedule). */
  const deliveryTrace = (expected: ExpectedSpans): Promise<SpanTree> => waitForTrace(otlp.spans, isDelivery, expected);

  it('shows one trace from the SMTP connection through spam-filter to the delivery attempt, correctly parented', async () => {
    const tree = await deliveryTrace({
      'smtp session': isSmtpSession,
      'smtp MAIL': isSmtpCommand('MAIL'),
      'smtp RCPT': isSmtpCommand('RCPT'),
      'smtp DATA': isSmtpCommand('DATA'),
      'publish received': isPublishReceived,
      'spam-filter consume': isConsumerOf('spam-filter'),
      'publish outbound.queued': isPublishQueued,
      'outbound-relay consume': isConsumerOf('outbound-relay'),
      'delivery attempt': isDelivery,
      'dns MX': isMxLookup,
    });
    if (process.env['PRINT_TRACE']) for (const s of tree.spans) console.log(s.service, s.name, s.kind, s.spanId, s.parentSpanId ?? '-');
    expect(tree.services()).toEqual(expect.objectContaining(new Set(['smtp-ingress', 'spam-filter', 'outbound-relay'])));
    for (const service of ['smtp-ingress', 'spam-filter', 'outbound-relay']) expect(tree.services().has(service)).toBe(true);

    // smtp-ingress: the session is the root; MAIL, RCPT and DATA are its children; the publish is under DATA
    const session = tree.find('smtp session', isSmtpSession);
    expect(session).toMatchObject({ kind: SpanKinds.server, parentSpanId: undefined, attributes: expect.objectContaining({ 'mail.smtp.listener': 'submission' }) });
    for (const command of ['MAIL', 'RCPT', 'DATA']) {
      const span = tree.find(`smtp ${command}`, isSmtpCommand(command));
      expect(tree.parentOf(span)).toBe(session);
      expect(span.attributes['mail.smtp.reply_class']).toBe('2xx');
    }
    const data = tree.find('smtp DATA', isSmtpCommand('DATA'));
    const publishReceived = tree.find('publish received', isPublishReceived);
    expect(tree.parentOf(publishReceived)).toBe(data);

    // spam-filter: consumer of the received publish, and the outbound publish inside it
    const consumeReceived = tree.find('spam-filter consume', isConsumerOf('spam-filter'));
    expect(tree.parentOf(consumeReceived)).toBe(publishReceived);
    const publishQueued = tree.find('publish outbound.queued', isPublishQueued);
    expect(tree.isUnder(publishQueued, consumeReceived)).toBe(true);

    // outbound-relay: consumer of the queued publish; the MX lookup and the attempt under it
    const consumeQueued = tree.find('outbound-relay consume', isConsumerOf('outbound-relay'));
    expect(tree.parentOf(consumeQueued)).toBe(publishQueued);
    const attempt = tree.find('delivery attempt', isDelivery);
    expect(attempt.kind).toBe(SpanKinds.client);
    expect(tree.isUnder(attempt, consumeQueued)).toBe(true);
    expect(attempt.attributes).toMatchObject({ 'server.address': 'mx.remote.test', 'mail.smtp.reply_class': '2xx', 'mail.outbound.result': 'delivered' });
    expect(JSON.stringify(attempt.attributes)).not.toContain('@');
    const mxLookup = tree.find('dns MX of remote.test', isMxLookup);
    expect(mxLookup.attributes).toMatchObject({ 'dns.question.name': 'remote.test', 'dns.response.status': 'NOERROR' });
    expect(tree.isUnder(mxLookup, consumeQueued)).toBe(true);
  });

  it('has the PostgreSQL and Redis calls of the message in the same trace, under the spans that made them', async () => {
    const tree = await deliveryTrace({
      'smtp session': isSmtpSession,
      'a PostgreSQL call': isPg,
      'a PostgreSQL call of mailbox-store': (s) => isPg(s) && s.service === 'mailbox-store',
      'a mailbox-store request span': isMailboxStoreServe,
      'a Redis call of smtp-ingress': (s) => isRedis(s) && s.service === 'smtp-ingress',
      'a Redis call of outbound-relay': (s) => isRedis(s) && s.service === 'outbound-relay',
    });
    const session = tree.find('smtp session', isSmtpSession);
    // AUTH and the sender check ask mailbox-store, which reads PostgreSQL inside the request's SERVER span
    const pgSpans = tree.spans.filter(isPg);
    expect(pgSpans.length).toBeGreaterThan(0);
    for (const span of pgSpans) expect(tree.isUnder(span, session)).toBe(true);
    expect(pgSpans.some((s) => s.service === 'mailbox-store')).toBe(true);
    const serveSpan = tree.find('a mailbox-store request span', isMailboxStoreServe);
    expect(tree.parentOf(serveSpan)).toMatchObject({ service: 'smtp-ingress', kind: SpanKinds.client });
    // Redis: the connection limits of the session, the relay's queue records and locks
    const redisSpans = tree.spans.filter(isRedis);
    expect(new Set(redisSpans.map((s) => s.service))).toEqual(expect.objectContaining(new Set(['smtp-ingress', 'outbound-relay'])));
    expect(redisSpans.some((s) => s.service === 'outbound-relay')).toBe(true);
    expect(redisSpans.some((s) => s.service === 'smtp-ingress')).toBe(true);
    // Command names only: keys may hold user names or addresses
    for (const span of redisSpans) expect(JSON.stringify(span.attributes)).not.toMatch(/@|example\.test/);
  });

  it('gives a POP3 session its span and each RETR a child span', async () => {
    let client = await Pop3Client.login(stack.pop3Port, 'bob@example.test', password);
    try {
      await waitFor(
        async () => {
          if ((await client.command('STAT')).startsWith('+OK 1 ')) return true;
          await client.quit();
          client = await Pop3Client.login(stack.pop3Port, 'bob@example.test', password);
          return false;
        },
        { timeoutMs: 60_000, description: 'the local message in bob’s maildrop' },
      );
      expect((await client.retrieve(1)).status).toMatch(/^\+OK/);
      await client.quit();
    } finally {
      client.close();
    }
    const isRetr = (s: ReceivedSpan) => s.service === 'pop3-server' && s.name === 'pop3 RETR';
    // pop3-server exports the RETR span when RETR ends, the session span only after QUIT, perhaps in a later batch
    const tree = await waitForTrace(otlp.spans, isRetr, { 'pop3 RETR': isRetr, 'pop3 session': (s) => s.service === 'pop3-server' && s.name === 'pop3 session' });
    const retr = tree.find('pop3 RETR', isRetr);
    expect(tree.parentOf(retr)).toMatchObject({ name: 'pop3 session', kind: SpanKinds.server, parentSpanId: undefined, attributes: expect.objectContaining({ 'mail.pop3.listener': 'pop3' }) });
  });

  it('logs the trace and span id on every line about the message, its queue id downstream, and no password or AUTH data', async () => {
    const tree = await deliveryTrace({ 'smtp session': isSmtpSession });
    const traceId = tree.find('smtp session', isSmtpSession).traceId;
    // Each service logs a message when it gets to it: wait for the last line each one writes about each message
    const lines = await waitForLogLines(stack, {
      [`smtp-ingress accepting ${queueId}`]: logLine('smtp-ingress', { msg: 'message accepted', queueId }),
      [`spam-filter classifying ${queueId}`]: logLine('spam-filter', { msg: 'message classified', queueId }),
      [`outbound-relay delivering ${queueId}`]: logLine('outbound-relay', { msg: 'recipient delivered', queueId }),
      [`smtp-ingress accepting ${localQueueId}`]: logLine('smtp-ingress', { msg: 'message accepted', queueId: localQueueId }),
      [`spam-filter classifying ${localQueueId}`]: logLine('spam-filter', { msg: 'message classified', queueId: localQueueId }),
      [`mailbox-store storing ${localQueueId}`]: logLine('mailbox-store', { msg: 'message stored', queueId: localQueueId }),
    });
    expect(lines.length).toBeGreaterThan(20);
    const aboutMessage = lines.filter((l) => l.raw.includes(queueId));
    expect(new Set(aboutMessage.map((l) => l.service))).toEqual(expect.objectContaining(new Set(['smtp-ingress', 'spam-filter', 'outbound-relay'])));
    for (const line of aboutMessage) {
      expect(line.fields, line.raw).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(line.fields['queueId'], line.raw).toBe(queueId);
    }
    // Downstream of ingress every line in a message's trace names its queue id
    for (const [id, downstream] of [
      [queueId, ['spam-filter', 'outbound-relay']],
      [localQueueId, ['spam-filter', 'mailbox-store']],
    ] as const) {
      const accepted = lines.find((l) => l.service === 'smtp-ingress' && l.fields['queueId'] === id && l.fields['msg'] === 'message accepted');
      expect(accepted?.fields['trace_id'], `the "message accepted" line of ${id}`).toMatch(/^[0-9a-f]{32}$/);
      const inTrace = lines.filter((l) => (downstream as readonly string[]).includes(l.service) && l.fields['trace_id'] === accepted?.fields['trace_id']);
      expect(new Set(inTrace.map((l) => l.service))).toEqual(new Set(downstream));
      for (const line of inTrace) expect(line.fields['queueId'], line.raw).toBe(id);
    }
    // RFC 4954 §4: the AUTH PLAIN response; AUTH LOGIN sends the password alone in base64
    const secrets = [password, Buffer.from(`\0bob@example.test\0${password}`).toString('base64'), Buffer.from(password).toString('base64')];
    for (const line of lines) for (const secret of secrets) expect(line.raw).not.toContain(secret);
  });
});
