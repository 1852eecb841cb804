/**
 * @mail/launcher — the one way to run the platform's services as processes,
 * for `npm start` (tools/dev-stack), the test fixtures (@mail/testing's
 * startMailStack and startServiceProcess), the crash matrix and the bench.
 * Given @mail/service-catalog and an environment (infrastructure URLs,
 * namespace, key prefix, ports or port 0), it starts the services from
 * their builds in start order, waits for each /readyz, exposes their ports
 * and output, and stops them: SIGTERM to drain, SIGKILL to crash, one or
 * all, and starts one again, or a replica beside it on ports of its own.
 *
 * For tools and tests only (type:launcher): a service never starts another.
 */
export { listenerPort, platformEnvironment, replicaVariables, serviceListeners, serviceVariables, type ListenerPorts, type PlatformSettings, type ReplicaVariables } from './environment';
export { freePort } from './free-port';
export { runMailctl, type MailctlResult } from './mailctl';
export { launchPlatform, PlatformStoppingError, preparePlatform, type Platform, type PlatformOptions, type ServiceReplica } from './platform';
export { ServiceStartError, startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from './service-process';
export { MissingBuildError, serviceArguments, workspaceRoot } from './workspace';
