/**
 * OpenTelemetry setup for one service: a tracer provider (exported over
 * OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; the exporter and its
 * transformer, about 60 modules, are loaded only then; without it spans
 * are not recorded, their ids still propagated: span-sampling.ts), W3C trace context
 * propagation, spans for PostgreSQL and Redis calls (client-instrumentation.ts),
 * and a meter provider read by the Prometheus exporter that
 * the ops server exposes on /metrics.
 */
import { context, metrics, propagation, trace, type Meter, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { monitorEventLoop } from './event-loop';
import { instrumentDatabaseClients, type DatabaseClients } from './client-instrumentation';
import { HealthChecks } from './health';
import { samplerFor } from './span-sampling';
import { startOpsServer, type OpsServer } from './ops-server';

/**
 * ATTR_SERVICE_NAME of @opentelemetry/semantic-conventions, written out: the
 * SDK requires that package as CommonJS, and an ES import of it here loaded
 * a second copy beside that one (thousands of constants, about 0.8 MiB).
 */
const serviceNameAttribute = 'service.name';

export interface TelemetryOptions {
  service: string;
  host: string;
  /** Port of the ops endpoint (/metrics, /healthz, /readyz); 0 picks a free one. */
  httpPort: number;
  /** The clients whose calls get spans; only those packages are loaded. */
  databaseClients: DatabaseClients;
  /** Extra span processors (tests add an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly health: HealthChecks;
  readonly ops: OpsServer;
  shutdown(): Promise<void>;
}

export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const resource = resourceFromAttributes({ [serviceNameAttribute]: process.env['OTEL_SERVICE_NAME'] ?? options.service });

  const spanProcessors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  }
  // Nothing exports spans: started unrecorded, their ids still in logs and NATS headers (span-sampling.ts)
  const sampler = samplerFor(spanProcessors);
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors, ...(sampler !== undefined ? { sampler } : {}) });
  tracerProvider.register({ propagator: new W3CTraceContextPropagator() });
  instrumentDatabaseClients(options.databaseClients);

  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ resource, readers: [prometheus] });
  metrics.setGlobalMeterProvider(meterProvider);
  const eventLoop = monitorEventLoop(metrics.getMeter(options.service));

  const health = new HealthChecks();
  const ops = await startOpsServer({
    host: options.host,
    port: options.httpPort,
    health,
    metrics: (req, res) => prometheus.getMetricsRequestHandler(req, res),
  });

  return {
    tracer: trace.getTracer(options.service),
    meter: metrics.getMeter(options.service),
    health,
    ops,
    async shutdown() {
      await ops.close();
      eventLoop.stop();
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      context.disable();
      propagation.disable();
    },
  };
}
