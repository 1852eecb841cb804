/**
 * @mail/runtime — the life cycle every service shares: parse configuration,
 * create the logger, start telemetry and the ops endpoint, connect the bus,
 * give it its Redis client, run the service, and on SIGTERM/SIGINT drain in
 * order (stop taking work, finish in-flight work, close connections) before
 * exiting. Each service's name, ops port and infrastructure come from
 * @mail/service-catalog.
 */
export { runService, type ServiceContext, type ServiceDefinition, type RunningService } from './run-service';
export { shutdownSignals } from './shutdown';
export { TlsPairError, type TlsFiles } from './tls-context';
export { TlsCertificates, loadTlsContext, type TlsContextSource, type TlsReloadLog, type TlsReloadOptions, type TlsReloadOutcome } from './tls-certificates';
export { endSocket, writeWithBackpressure } from './socket-writer';
export { WorkerTask, WorkerTaskError, WorkerTaskTimeoutError } from './worker-task';
