import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger';

const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
beforeAll(() => provider.register());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});

/** A logger writing into an array of parsed lines. */
function capture(): { log: ReturnType<typeof createLogger>; lines: Record<string, unknown>[]; raw: string[] } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: createLogger('test-service', 'debug', sink), lines, raw };
}

describe('createLogger', () => {
  it('puts the active trace and span id on every line, also on child loggers', () => {
    const { log, lines } = capture();
    log.info('outside any span');
    const span = provider.getTracer('test').startSpan('work');
    const { traceId, spanId } = span.spanContext();
    context.with(trace.setSpan(context.active(), span), () => {
      log.info({ queueId: 'Q1' }, 'inside');
      log.child({ session: 's1' }).warn('from a child');
    });
    span.end();
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({ service: 'test-service', level: 'info', trace_id: traceId, span_id: spanId, queueId: 'Q1', msg: 'inside' });
    expect(lines[2]).toMatchObject({ level: 'warn', trace_id: traceId, span_id: spanId, session: 's1' });
  });

  it('censors passwords, credentials, authorization and secrets at the top level and one level down', () => {
    const { log, raw } = capture();
    log.info({ password: 'hunter2', user: { name: 'bob', password: 'hunter3' }, credentials: { username: 'bob', password: 'hunter4' } }, 'login');
    log.info({ request: { authorization: 'Basic aHVudGVyNQ==' }, secret: 'hunter6' }, 'request');
    const text = raw.join('\n');
    for (const secret of ['hunter2', 'hunter3', 'hunter4', 'aHVudGVyNQ==', 'hunter6']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
    expect(text).toContain('"name":"bob"');
  });
});
