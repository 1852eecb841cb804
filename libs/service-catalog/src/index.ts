/**
 * @mail/service-catalog — the six services of the platform, written once:
 * each one's name, ops port, protocol listeners (the variable that sets the
 * port, its default and the standard port), the infrastructure it needs and
 * its entry points. @mail/runtime takes a service's name, ops port and Redis
 * use from here; the launchers (tools/dev-stack, libs/testing, tools/chaos),
 * tools/deploy-check and the image build read the same list.
 *
 * A library of its own, with no dependencies, so that a launcher or a static
 * check can import it without loading the runtime (NATS, OpenTelemetry,
 * ioredis).
 */
export {
  catalogService,
  listeners,
  nodeRuntime,
  schemaOwner,
  serviceCatalog,
  serviceNames,
  startOrder,
  type CatalogService,
  type EntryPoints,
  type Infrastructure,
  type Listener,
  type ListenerName,
  type RedisUse,
  type ServiceName,
} from './service-catalog';
