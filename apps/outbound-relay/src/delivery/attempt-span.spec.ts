import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracedAttempts } from './attempt-span';
import type { HostAttempt } from './host-attempt';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

describe('delivery attempt spans', () => {
  it('records the MX host, the reply class and the result, never the recipients, under the active span', async () => {
    const target = { host: 'mx.remote.test', address: '192.0.2.25', port: 25 };
    const reply = { code: 250, enhanced: '2.0.0', lines: ['ok'] };
    const attempt = tracedAttempts(async (t, recipients): Promise<HostAttempt> => ({
      target: t,
      transactions: 1,
      tls: false,
      results: recipients.map((recipient) => ({ recipient, status: 'delivered' as const, reply, stage: 'end of data' as const })),
    }));
    await trace.getTracer('test').startActiveSpan('consume', async (consume) => {
      await attempt(target, ['carol@remote.test']);
      consume.end();
    });
    const span = exporter.getFinishedSpans().find((s) => s.name === 'smtp delivery attempt');
    expect(span?.attributes).toEqual({
      'server.address': 'mx.remote.test',
      'server.port': 25,
      'mail.outbound.recipients': 1,
      'mail.outbound.result': 'delivered',
      'mail.smtp.reply_class': '2xx',
      'mail.smtp.tls': false,
    });
    const consume = exporter.getFinishedSpans().find((s) => s.name === 'consume');
    expect(span?.parentSpanContext?.spanId).toBe(consume?.spanContext().spanId);
    expect(JSON.stringify(span?.attributes)).not.toContain('carol');
  });

  it('marks a failed session as an error', async () => {
    exporter.reset();
    const attempt = tracedAttempts(async (target, recipients) => ({
      target,
      transactions: 0,
      failure: new Error('connection refused'),
      results: recipients.map((recipient) => ({ recipient, status: 'untried' as const })),
    }));
    await attempt({ host: 'mx.remote.test', address: '192.0.2.25', port: 25 }, ['carol@remote.test']);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).toMatchObject({ code: 2, message: 'connection refused' });
    expect(span?.attributes['mail.outbound.result']).toBe('failed');
  });
});
