/**
 * The catalog: one entry per long-running service, in ops-port order (the
 * order people read them in, and the order the crash matrix kills them).
 */

/** A protocol port a service opens for mail clients and servers. */
export interface Listener {
  /** How operators name it in messages ("SMTP", "POP3S"). */
  readonly label: string;
  /** The environment variable that sets the port. */
  readonly portVariable: string;
  /** The port when the variable is unset; undefined: the listener is off unless the variable is set. */
  readonly defaultPort: number | undefined;
  /** The port clients expect, where a load balancer exposes the listener. */
  readonly standardPort: number;
  /** How TLS is offered: an upgrade of the plain connection (STARTTLS, STLS) or TLS from the first byte. */
  readonly tls: 'upgrade' | 'implicit';
}

/** The listeners of the platform; the services' configurations read their variables and defaults from here. */
export const listeners = {
  // IANA: SMTP (RFC 5321) between servers on 25; STARTTLS per RFC 3207
  smtp: { label: 'SMTP', portVariable: 'SMTP_PORT', defaultPort: 2525, standardPort: 25, tls: 'upgrade' },
  // RFC 6409 §3.1: message submission on 587
  submission: { label: 'submission', portVariable: 'SUBMISSION_PORT', defaultPort: 2587, standardPort: 587, tls: 'upgrade' },
  // RFC 8314 §3.3: message submission over implicit TLS on 465 (preferred to STARTTLS on 587); off unless SUBMISSIONS_PORT is set
  submissions: { label: 'submissions', portVariable: 'SUBMISSIONS_PORT', defaultPort: undefined, standardPort: 465, tls: 'implicit' },
  // RFC 1939 §3: POP3 on 110; STLS per RFC 2595 §4
  pop3: { label: 'POP3', portVariable: 'POP3_PORT', defaultPort: 1110, standardPort: 110, tls: 'upgrade' },
  // RFC 8314 §3.3, §7.3: POP3 over implicit TLS on 995; off unless POP3S_PORT is set
  pop3s: { label: 'POP3S', portVariable: 'POP3S_PORT', defaultPort: undefined, standardPort: 995, tls: 'implicit' },
  // RFC 9051 §2.1 (IMAP4rev2): IMAP on 143; STARTTLS per RFC 9051 §6.2.1
  imap: { label: 'IMAP', portVariable: 'IMAP_PORT', defaultPort: 1143, standardPort: 143, tls: 'upgrade' },
  // RFC 8314 §3.3, §7.3: IMAP over implicit TLS on 993; off unless IMAPS_PORT is set
  imaps: { label: 'IMAPS', portVariable: 'IMAPS_PORT', defaultPort: undefined, standardPort: 993, tls: 'implicit' },
} as const satisfies Record<string, Listener>;

export type ListenerName = keyof typeof listeners;

/**
 * How Node runs every service, in the image (deploy/docker/Dockerfile,
 * checked by tools/deploy-check) and under the launcher (npm start, the
 * tests, chaos, bench) alike. Besides stack traces mapped to the TypeScript:
 * - `--v8-pool-size=2`: V8's background threads (concurrent marking,
 *   parallel scavenges, off-thread compilation) sized to the two cores a
 *   service pod is given, not Node's default of four; raise it with
 *   NODE_OPTIONS on larger pods.
 * - `MALLOC_ARENA_MAX=2`: glibc otherwise keeps a malloc arena per thread
 *   that allocates (V8's workers, libuv's pool), each holding freed memory.
 * Together about 3 MiB less idle RSS per service (docs/benchmarks.md, issue 14).
 */
export const nodeRuntime = {
  flags: ['--enable-source-maps', '--v8-pool-size=2'],
  environment: { MALLOC_ARENA_MAX: '2' },
} as const;

/**
 * How a service depends on Redis. `required`: it cannot do its work without
 * Redis, so it is not ready while Redis does not answer. `fail-open`: it
 * works on without Redis (its shared limits go unchecked); /readyz reports
 * Redis as degraded but stays 200, so a Redis outage does not take it out of
 * its load balancer.
 */
export type RedisUse = 'required' | 'fail-open';

/** What a service needs running besides itself. */
export interface Infrastructure {
  /** Every service talks over NATS JetStream and is not ready without it. */
  readonly nats: 'required';
  readonly redis?: RedisUse;
  /** PostgreSQL: only the service that owns the schema; `<entry> migrate` applies its migrations. */
  readonly postgres?: 'schema-owner';
}

/** Where a service's program is, relative to the workspace root. */
export interface EntryPoints {
  /** The TypeScript entry (`node --import tsx <source>`). */
  readonly source: string;
  /** What `nx run <name>:build` emits (`node <dist>`). */
  readonly dist: string;
}

interface ServiceDescription {
  readonly name: string;
  /** Default port of the ops endpoint (/metrics, /healthz, /readyz); HTTP_PORT overrides. */
  readonly opsPort: number;
  readonly listeners: readonly Listener[];
  readonly infrastructure: Infrastructure;
}

const described = [
  { name: 'smtp-ingress', opsPort: 9101, listeners: [listeners.smtp, listeners.submission, listeners.submissions], infrastructure: { nats: 'required', redis: 'fail-open' } },
  { name: 'spam-filter', opsPort: 9102, listeners: [], infrastructure: { nats: 'required', redis: 'required' } },
  { name: 'mailbox-store', opsPort: 9103, listeners: [], infrastructure: { nats: 'required', postgres: 'schema-owner' } },
  { name: 'pop3-server', opsPort: 9104, listeners: [listeners.pop3, listeners.pop3s], infrastructure: { nats: 'required', redis: 'required' } },
  { name: 'outbound-relay', opsPort: 9105, listeners: [], infrastructure: { nats: 'required', redis: 'required' } },
  { name: 'imap-server', opsPort: 9106, listeners: [listeners.imap, listeners.imaps], infrastructure: { nats: 'required', redis: 'required' } },
] as const satisfies readonly ServiceDescription[];

/** The name of a service: its folder under apps/, its image, Deployment and log label. */
export type ServiceName = (typeof described)[number]['name'];

/** One service of the catalog. */
export interface CatalogService extends ServiceDescription {
  readonly name: ServiceName;
  readonly entry: EntryPoints;
}

/** Every service, in ops-port order. */
export const serviceCatalog: readonly CatalogService[] = described.map((service) => ({
  ...service,
  entry: { source: `apps/${service.name}/src/main.ts`, dist: `dist/apps/${service.name}/main.mjs` },
}));

/** Every service name, in ops-port order. */
export const serviceNames: readonly ServiceName[] = serviceCatalog.map((service) => service.name);

/** The catalog entry of a service. */
export function catalogService(name: ServiceName): CatalogService {
  const service = serviceCatalog.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`${name} is not in the service catalog`);
  return service;
}

/** The service that owns the database schema and runs the migrations. */
export const schemaOwner: CatalogService = onlySchemaOwner();

/**
 * The order to start the services one after another: the schema owner first
 * (it migrates, and answers the others' recipient, credential and maildrop
 * requests), then the rest in catalog order.
 */
export const startOrder: readonly ServiceName[] = [schemaOwner.name, ...serviceNames.filter((name) => name !== schemaOwner.name)];

function onlySchemaOwner(): CatalogService {
  const owners = serviceCatalog.filter((service) => service.infrastructure.postgres === 'schema-owner');
  if (owners.length !== 1 || !owners[0]) throw new Error(`the catalog needs exactly one schema owner, found ${owners.length}`);
  return owners[0];
}
