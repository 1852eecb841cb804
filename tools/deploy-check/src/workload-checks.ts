/**
 * Invariants of the pods the platform runs (Deployments and the migration
 * Job): health probes on the ops endpoint, resource requests and limits, a
 * locked-down security context, and rollouts that never drop mail (surge
 * before drain, a grace period longer than the drain). Each check returns
 * problems, empty when the workload is fine.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ILifecycleHandler } from 'kubernetes-models/v1/LifecycleHandler';
import { parseDuration, parseQuantity } from './quantities';
import { mainContainer, type RenderedManifests, type Workload } from './rendered-manifests';

/** Which setting bounds the drain of a service on SIGTERM, and its default (apps' config.ts). */
export const drainSettings: Readonly<Record<string, { variable: string; fallback: string }>> = {
  'smtp-ingress': { variable: 'SMTP_DRAIN_TIMEOUT', fallback: '30s' },
  'pop3-server': { variable: 'POP3_SHUTDOWN_GRACE', fallback: '10s' },
  'imap-server': { variable: 'IMAP_SHUTDOWN_GRACE', fallback: '10s' },
};

/** Time the process needs after the drain: stop consumers, close the bus, flush telemetry. */
export const shutdownMarginSeconds = 5;

/** Liveness on /healthz and readiness on /readyz, on a declared port that is the service's HTTP_PORT. */
export function probeProblems(manifests: RenderedManifests, workload: Workload): string[] {
  const container = mainContainer(workload);
  if (!container) return [`${workload.name}: no container`];
  const problems: string[] = [];
  const httpPort = manifests.environment(container).get('HTTP_PORT');
  for (const [probe, path] of [
    ['livenessProbe', '/healthz'],
    ['readinessProbe', '/readyz'],
  ] as const) {
    const get = container[probe]?.httpGet;
    if (!get) {
      problems.push(`${workload.name}: no ${probe} with httpGet ${path}`);
      continue;
    }
    if (get.path !== path) problems.push(`${workload.name}: ${probe} asks ${get.path}, expected ${path}`);
    const port = resolvePort(container, get.port);
    if (port === undefined) problems.push(`${workload.name}: ${probe} port ${get.port} is not a port of the container`);
    else if (httpPort !== undefined && String(port) !== httpPort) problems.push(`${workload.name}: ${probe} probes port ${port}, but HTTP_PORT is ${httpPort}`);
  }
  return problems;
}

/** The number a named or numbered port refers to in a container, if declared. */
export function resolvePort(container: IContainer, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return container.ports?.some((p) => p.containerPort === port) ? port : undefined;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

/** CPU and memory requests and limits on every container, requests within limits. */
export function resourceProblems(workload: Workload): string[] {
  const problems: string[] = [];
  for (const container of workload.pod.containers) {
    for (const resource of ['cpu', 'memory'] as const) {
      const request = parseQuantity(container.resources?.requests?.[resource]);
      const limit = parseQuantity(container.resources?.limits?.[resource]);
      if (request === undefined) problems.push(`${workload.name}/${container.name}: no ${resource} request`);
      if (limit === undefined) problems.push(`${workload.name}/${container.name}: no ${resource} limit`);
      if (request !== undefined && limit !== undefined && request > limit) problems.push(`${workload.name}/${container.name}: ${resource} request above its limit`);
    }
  }
  return problems;
}

/**
 * Non-root (as the image's uid), read-only root filesystem with a writable
 * /tmp, no privilege escalation, no capabilities, RuntimeDefault seccomp, no
 * service account token.
 */
export function securityProblems(workload: Workload, imageUid: number | undefined): string[] {
  const problems: string[] = [];
  const pod = workload.pod.securityContext;
  if (workload.pod.automountServiceAccountToken !== false) problems.push(`${workload.name}: set automountServiceAccountToken: false (no service needs the API)`);
  for (const container of workload.pod.containers) {
    const at = `${workload.name}/${container.name}`;
    const own = container.securityContext;
    if ((own?.runAsNonRoot ?? pod?.runAsNonRoot) !== true) problems.push(`${at}: runAsNonRoot is not true`);
    const uid = own?.runAsUser ?? pod?.runAsUser;
    if (uid === 0) problems.push(`${at}: runAsUser is 0`);
    if (imageUid !== undefined && uid !== undefined && uid !== imageUid) problems.push(`${at}: runAsUser ${uid} differs from the image's USER ${imageUid}`);
    if (own?.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem is not true`);
    if (own?.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
    if (!own?.capabilities?.drop?.includes('ALL')) problems.push(`${at}: capabilities do not drop ALL`);
    if (own?.capabilities?.add?.length) problems.push(`${at}: adds capabilities ${own.capabilities.add.join(',')}`);
    if (own?.privileged === true) problems.push(`${at}: privileged`);
    if ((own?.seccompProfile?.type ?? pod?.seccompProfile?.type) !== 'RuntimeDefault') problems.push(`${at}: seccompProfile is not RuntimeDefault`);
    const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    const volume = workload.pod.volumes?.find((v) => v.name === tmp?.name);
    if (!tmp || !volume?.emptyDir) problems.push(`${at}: no emptyDir at /tmp (npm and temporary files write there; the root filesystem is read-only)`);
  }
  return problems;
}

/** Seconds a preStop hook waits (`sleep N` by exec, or the sleep action); 0 without one. */
export function preStopSeconds(handler: ILifecycleHandler | undefined): number {
  if (!handler) return 0;
  if (handler.sleep) return handler.sleep.seconds;
  const command = handler.exec?.command?.join(' ') ?? '';
  const match = /(?:^|\s|\/)sleep\s+(\d+)/.exec(command);
  return match ? Number(match[1]) : 0;
}

/**
 * Zero-loss rollouts: surge one pod, take none away before its replacement is
 * ready, and give each pod time for its preStop delay, its drain and the shutdown.
 * `exposed`: a load balancer sends it traffic, so it also needs a preStop delay.
 */
export function rolloutProblems(manifests: RenderedManifests, deployment: IDeployment, exposed: boolean): string[] {
  const name = deployment.metadata?.name ?? '';
  const problems: string[] = [];
  const strategy = deployment.spec?.strategy;
  if (strategy?.type !== undefined && strategy.type !== 'RollingUpdate') problems.push(`${name}: strategy ${strategy.type}, expected RollingUpdate`);
  if (String(strategy?.rollingUpdate?.maxUnavailable) !== '0') problems.push(`${name}: rollingUpdate.maxUnavailable should be 0, is ${strategy?.rollingUpdate?.maxUnavailable}`);
  if (String(strategy?.rollingUpdate?.maxSurge) !== '1') problems.push(`${name}: rollingUpdate.maxSurge should be 1, is ${strategy?.rollingUpdate?.maxSurge}`);
  const container = deployment.spec?.template.spec?.containers.find((c) => c.name === name) ?? deployment.spec?.template.spec?.containers[0];
  if (!container) return [...problems, `${name}: no container`];
  const preStop = preStopSeconds(container.lifecycle?.preStop);
  if (exposed && preStop < 1) problems.push(`${name}: behind a load balancer but no preStop delay (endpoints must be removed before the listener closes)`);
  const drain = drainSettings[name];
  const drainMs = drain ? parseDuration(manifests.environment(container).get(drain.variable) ?? drain.fallback) : 0;
  if (drainMs === undefined) problems.push(`${name}: ${drain?.variable} is not a duration`);
  const needed = preStop + Math.ceil((drainMs ?? 0) / 1000) + shutdownMarginSeconds;
  const grace = deployment.spec?.template.spec?.terminationGracePeriodSeconds ?? 30;
  if (grace < needed) {
    problems.push(`${name}: terminationGracePeriodSeconds ${grace} < preStop ${preStop} s + ${drain?.variable ?? 'drain'} ${Math.ceil((drainMs ?? 0) / 1000)} s + ${shutdownMarginSeconds} s`);
  }
  return problems;
}
