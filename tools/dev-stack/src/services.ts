/**
 * The five services `npm start` runs, and the environment each gets: the
 * user's own environment (SMTP_PORT, LOG_LEVEL, DNS_SERVERS, ...), the
 * infrastructure URLs the launcher settled on, the namespace, the service's
 * ops port, and the TLS files for the services that offer STARTTLS/STLS.
 * The list, the ops ports and who offers TLS come from @mail/service-catalog.
 */
import { schemaOwner, serviceCatalog } from '@mail/service-catalog';

/** One service of the stack. */
export interface ServiceSpec {
  /** Folder name under apps/, also its output label. */
  readonly name: string;
  /** Port of its ops endpoint (/readyz, /healthz, /metrics). */
  readonly httpPort: number;
  /** Whether it offers STARTTLS (SMTP) or STLS (POP3) and needs the certificate. */
  readonly usesTls: boolean;
}

/** In catalog order (they start all at once); each on its own default ops port. */
export const services: readonly ServiceSpec[] = serviceCatalog.map((service) => ({
  name: service.name,
  httpPort: service.opsPort,
  usesTls: service.listeners.length > 0, // every mail listener offers TLS (STARTTLS, STLS or implicit)
}));

/** The service that owns the database schema and runs the migrations. */
export const migrationService = schemaOwner.name;

/** Namespace of subjects, streams and buckets when NATS_NAMESPACE is unset. */
export const defaultNamespace = 'mail';

/** What the launcher decided, shared by every service. */
export interface StackSettings {
  natsUrl: string;
  databaseUrl: string;
  redisUrl: string;
  tls?: { certFile: string; keyFile: string };
}

/** The complete environment of one service process. */
export function serviceEnvironment(service: ServiceSpec, userEnv: NodeJS.ProcessEnv, stack: StackSettings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(userEnv)) if (value !== undefined) env[key] = value;
  const namespace = userEnv['NATS_NAMESPACE']?.trim();
  Object.assign(env, {
    NATS_URL: stack.natsUrl,
    DATABASE_URL: stack.databaseUrl,
    REDIS_URL: stack.redisUrl,
    NATS_NAMESPACE: namespace === undefined || namespace === '' ? defaultNamespace : namespace,
    HTTP_PORT: String(service.httpPort),
  });
  if (service.usesTls && stack.tls) {
    env['TLS_CERT_FILE'] = stack.tls.certFile;
    env['TLS_KEY_FILE'] = stack.tls.keyFile;
  }
  return env;
}
