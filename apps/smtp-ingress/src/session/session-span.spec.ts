import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inCommandSpan, inSessionSpan, recordCommandFailure, recordReply } from './session-span';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});
beforeEach(() => exporter.reset());

describe('SMTP session spans', () => {
  it('puts MAIL, RCPT, DATA and BDAT under the session span, with their reply codes; other commands stay in the session span', async () => {
    await inSessionSpan('submission', 'session-1', async () => {
      recordReply(220); // the greeting belongs to no command
      await inCommandSpan('EHLO', async () => recordReply(250));
      await inCommandSpan('MAIL', async () => recordReply(250));
      await inCommandSpan('RCPT', async () => recordReply(550));
      await inCommandSpan('DATA', async () => {
        recordReply(354);
        recordReply(250);
      });
    });
    const spans = exporter.getFinishedSpans();
    const session = spans.find((s) => s.name === 'smtp session');
    expect(session?.attributes).toMatchObject({ 'mail.smtp.listener': 'submission', 'mail.smtp.session_id': 'session-1' });
    expect(session?.attributes['mail.smtp.reply_code']).toBeUndefined();
    expect(session?.parentSpanContext).toBeUndefined();
    const commands = spans.filter((s) => s !== session);
    expect(commands.map((s) => [s.name, s.attributes['mail.smtp.reply_code'], s.attributes['mail.smtp.reply_class']])).toEqual([
      ['smtp MAIL', 250, '2xx'],
      ['smtp RCPT', 550, '5xx'],
      ['smtp DATA', 250, '2xx'],
    ]);
    for (const span of commands) expect(span.parentSpanContext?.spanId).toBe(session?.spanContext().spanId);
  });

  it('starts a new trace for each session, whatever span is active when the connection arrives', async () => {
    const outer = provider.getTracer('test').startSpan('outer');
    await inSessionSpan('inbound', 'session-2', async () => undefined);
    outer.end();
    const session = exporter.getFinishedSpans().find((s) => s.name === 'smtp session');
    expect(session).toBeDefined();
    expect(session?.parentSpanContext).toBeUndefined();
    expect(session?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(session?.spanContext().traceId).not.toBe(outer.spanContext().traceId);
  });

  it('marks a command span failed on a local error', async () => {
    await inSessionSpan('inbound', 'session-3', () => inCommandSpan('DATA', async () => recordCommandFailure(new Error('queue unavailable'))));
    const data = exporter.getFinishedSpans().find((s) => s.name === 'smtp DATA');
    expect(data?.status).toMatchObject({ code: 2, message: 'queue unavailable' });
  });
});
