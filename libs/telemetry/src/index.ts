/**
 * @mail/telemetry — what every service exposes to its operators: structured
 * JSON logs carrying the trace context, OpenTelemetry traces and metrics,
 * and an HTTP endpoint with `/metrics` (Prometheus), `/healthz` and `/readyz`.
 */
export { createLogger, type Logger } from './logger';
export { startTelemetry, type Telemetry, type TelemetryOptions } from './telemetry';
export { HealthChecks, type Readiness, type ReadinessCheck, type ReadinessCheckOptions } from './health';
export { startOpsServer, type OpsServer } from './ops-server';
export { recordSpanError, runInSpan } from './active-span';
export { observedCounter, type ObservedCounter, type ObservedCounterOptions } from './observed-counter';
