/**
 * Invariants across the objects of one rendered overlay: one namespace, a
 * PodDisruptionBudget per Deployment, autoscaling of ingress, IMAP and relay (and
 * KEDA triggers that name real streams and consumers), Services that reach
 * declared ports, load balancers that keep the client address, the
 * migration Job of the release, scraping of every ops endpoint, and
 * references to ConfigMaps and Secrets that exist.
 */
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { serviceCatalog } from '@mail/service-catalog';
import { clusterScopedKinds, describeObject } from './manifest-stream';
import { parseQuantity } from './quantities';
import { imageTag, mainContainer, selects, type RenderedManifests } from './rendered-manifests';
import { resolvePort } from './workload-checks';

/** The parts of a KEDA ScaledObject the checks read. */
export interface ScaledObject {
  metadata: { name: string };
  spec: { scaleTargetRef: { name: string; kind?: string }; minReplicaCount?: number; triggers: { type: string; metadata: Record<string, string> }[] };
}

/** The parts of a Prometheus Operator ServiceMonitor the checks read. */
interface ServiceMonitor {
  metadata: { name: string };
  spec: { selector?: { matchLabels?: Record<string, string> }; endpoints?: { port?: string; path?: string }[] };
}

/** A JetStream durable consumer: the stream it reads and its name. */
export interface ConsumerRef {
  readonly stream: string;
  readonly durable: string;
}

/** Every namespaced object is in `namespace`, and that Namespace is part of the stream. */
export function namespaceProblems(manifests: RenderedManifests, namespace: string): string[] {
  const problems = manifests.objects
    .filter((object) => !clusterScopedKinds.has(object.kind) && object.metadata.namespace !== namespace)
    .map((object) => `${describeObject(object)} is not in namespace ${namespace}`);
  if (!manifests.find('Namespace', namespace)) problems.push(`no Namespace ${namespace}`);
  return problems;
}

/** Exactly one PodDisruptionBudget selects the pods of each Deployment; none selects nothing. */
export function disruptionBudgetProblems(manifests: RenderedManifests): string[] {
  const budgets = manifests.ofKind<IPodDisruptionBudget>('PodDisruptionBudget');
  const problems: string[] = [];
  for (const deployment of manifests.deployments()) {
    const labels = deployment.spec?.template.metadata?.labels ?? {};
    const covering = budgets.filter((pdb) => pdb.spec?.selector?.matchLabels && selects(pdb.spec.selector.matchLabels, labels));
    if (covering.length !== 1) problems.push(`Deployment ${deployment.metadata?.name}: ${covering.length} PodDisruptionBudgets select its pods, expected 1`);
  }
  for (const pdb of budgets) {
    if (manifests.selectedDeployments(pdb.spec?.selector?.matchLabels).length === 0) problems.push(`PodDisruptionBudget ${pdb.metadata?.name} selects no Deployment`);
  }
  return problems;
}

/** How a Deployment is scaled: by an HPA, by KEDA, or by its replica count. */
export function scalersOf(manifests: RenderedManifests, name: string): { hpas: IHorizontalPodAutoscaler[]; scaledObjects: ScaledObject[] } {
  return {
    hpas: manifests.ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler').filter((hpa) => hpa.spec.scaleTargetRef.kind === 'Deployment' && hpa.spec.scaleTargetRef.name === name),
    scaledObjects: manifests.ofKind<ScaledObject>('ScaledObject').filter((so) => (so.spec.scaleTargetRef.kind ?? 'Deployment') === 'Deployment' && so.spec.scaleTargetRef.name === name),
  };
}

/**
 * The services whose load is their clients' open sessions: the gauge their
 * HPA scales on (a Pods metric through prometheus-adapter), and the setting
 * that caps the sessions of one process, with its default (apps' config.ts).
 */
export const sessionScaling: Readonly<Record<string, { metric: string; cap: { variable: string; fallback: number } }>> = {
  'smtp-ingress': { metric: 'mail_smtp_sessions_active', cap: { variable: 'SMTP_MAX_CONNECTIONS', fallback: 1000 } },
  'imap-server': { metric: 'mail_imap_sessions_active', cap: { variable: 'IMAP_MAX_CONNECTIONS', fallback: 10_000 } },
};

/**
 * smtp-ingress and imap-server have an HPA on CPU and on open sessions, aiming
 * below the per-process session cap (a pod at its cap turns clients away
 * before the autoscaler adds one); outbound-relay has an HPA on its consumer's
 * pending messages or a KEDA ScaledObject on its lag; every autoscaler
 * targets an existing Deployment that no other autoscaler and no fixed
 * replica count also controls; KEDA triggers and external metric selectors
 * name consumers that exist in the bus catalog.
 */
export function autoscalingProblems(manifests: RenderedManifests, consumers: ReadonlyMap<string, ConsumerRef>): string[] {
  const problems: string[] = [];
  const targets = [
    ...manifests.ofKind<IHorizontalPodAutoscaler>('HorizontalPodAutoscaler').map((hpa) => hpa.spec.scaleTargetRef.name),
    ...manifests.ofKind<ScaledObject>('ScaledObject').map((so) => so.spec.scaleTargetRef.name),
  ];
  for (const target of new Set(targets)) {
    const deployment = manifests.deployment(target);
    if (!deployment) problems.push(`an autoscaler targets Deployment ${target}, which does not exist`);
    if (targets.filter((t) => t === target).length > 1) problems.push(`Deployment ${target} has more than one autoscaler`);
    if (deployment?.spec?.replicas !== undefined) problems.push(`Deployment ${target} is autoscaled but sets replicas: kubectl apply would reset the autoscaler's choice`);
  }
  for (const [service, { metric, cap }] of Object.entries(sessionScaling)) {
    const hpa = scalersOf(manifests, service).hpas[0];
    if (!hpa) {
      problems.push(`${service} has no HorizontalPodAutoscaler`);
      continue;
    }
    if (!hpa.spec.metrics?.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu')) problems.push(`the ${service} HPA does not scale on CPU`);
    const sessions = hpa.spec.metrics?.find((m) => m.type === 'Pods' && m.pods?.metric.name === metric);
    if (!sessions) {
      problems.push(`the ${service} HPA does not scale on ${metric} (connections)`);
      continue;
    }
    const container = manifests.deployment(service)?.spec?.template.spec?.containers[0];
    const configured = container ? manifests.environment(container).get(cap.variable) : undefined;
    const limit = configured === undefined ? cap.fallback : Number(configured);
    const target = parseQuantity(sessions.pods?.target.averageValue);
    if (target === undefined || !(target < limit))
      problems.push(`the ${service} HPA aims at ${sessions.pods?.target.averageValue} sessions per pod, not below ${cap.variable} (${limit}): its pods would turn clients away before it scales out`);
  }
  const relay = scalersOf(manifests, 'outbound-relay');
  const relayConsumer = consumers.get('outbound-relay');
  const hpaOnLag = relay.hpas.some((hpa) =>
    hpa.spec.metrics?.some((m) => {
      const labels = m.external?.metric.selector?.matchLabels ?? {};
      return m.type === 'External' && labels['stream_name'] === relayConsumer?.stream && labels['consumer_name'] === relayConsumer?.durable;
    }),
  );
  const kedaOnLag = relay.scaledObjects.some((so) => so.spec.triggers.some((t) => t.type === 'nats-jetstream' && t.metadata['consumer'] === relayConsumer?.durable));
  if (!hpaOnLag && !kedaOnLag)
    problems.push(`outbound-relay is scaled neither by an HPA on the pending messages of ${relayConsumer?.stream}/${relayConsumer?.durable} nor by a KEDA ScaledObject on its lag`);
  for (const so of manifests.ofKind<ScaledObject>('ScaledObject')) {
    for (const trigger of so.spec.triggers.filter((t) => t.type === 'nats-jetstream')) {
      const known = [...consumers.values()].some((c) => c.stream === trigger.metadata['stream'] && c.durable === trigger.metadata['consumer']);
      if (!known) problems.push(`ScaledObject ${so.metadata.name}: stream ${trigger.metadata['stream']} has no consumer ${trigger.metadata['consumer']} in the bus catalog`);
    }
  }
  return problems;
}

/**
 * Services select pods and name ports that exist, and ask for both IP
 * families where the cluster has them (dual-stack: the AAAA record of the
 * MX); LoadBalancers keep the client address (externalTrafficPolicy Local);
 * every listener of @mail/service-catalog that is on (by default, or because
 * the overlay sets its port variable: POP3S) answers on its standard port,
 * mapped to the port its setting opens, and no load balancer port reaches a
 * listener that is off.
 */
export function serviceProblems(manifests: RenderedManifests): string[] {
  const problems: string[] = [];
  const services = manifests.ofKind<IService>('Service');
  for (const service of services) {
    const name = service.metadata?.name;
    if (!['PreferDualStack', 'RequireDualStack'].includes(service.spec?.ipFamilyPolicy ?? ''))
      problems.push(`Service ${name}: ipFamilyPolicy should be PreferDualStack (IPv6 clients reach the MX through its AAAA record)`);
    const selected = manifests.selectedDeployments(service.spec?.selector);
    if (selected.length === 0) {
      problems.push(`Service ${name} selects no Deployment`);
      continue;
    }
    for (const port of service.spec?.ports ?? []) {
      for (const deployment of selected) {
        const container = deployment.spec?.template.spec?.containers[0];
        if (!container || resolvePort(container, port.targetPort ?? port.port) === undefined) {
          problems.push(`Service ${name} port ${port.port} → ${port.targetPort}: not a port of Deployment ${deployment.metadata?.name}`);
        }
      }
    }
    if (service.spec?.type === 'LoadBalancer' && service.spec.externalTrafficPolicy !== 'Local') {
      problems.push(`LoadBalancer Service ${name}: externalTrafficPolicy should be Local, so that the client's address reaches the spam filter`);
    }
  }
  for (const catalogEntry of serviceCatalog) {
    const deployment = manifests.deployment(catalogEntry.name);
    const container = deployment?.spec?.template.spec?.containers[0];
    const balancer = services.find((s) => s.spec?.type === 'LoadBalancer' && manifests.selectedDeployments(s.spec.selector).includes(deployment as IDeployment));
    const environment = container ? manifests.environment(container) : new Map<string, string>();
    for (const listener of catalogEntry.listeners) {
      const configured = environment.get(listener.portVariable);
      const port = balancer?.spec?.ports?.find((p) => p.port === listener.standardPort);
      if (listener.defaultPort === undefined && configured === undefined) {
        if (port) problems.push(`${catalogEntry.name}: port ${listener.standardPort} is exposed, but ${listener.portVariable} is not set (the ${listener.label} listener is off)`);
        continue;
      }
      if (!deployment || !container || !port) {
        problems.push(`no LoadBalancer Service exposes ${catalogEntry.name} on port ${listener.standardPort} (${listener.label})`);
        continue;
      }
      const target = resolvePort(container, port.targetPort ?? port.port);
      const opened = configured ?? String(listener.defaultPort);
      if (String(target) !== opened) problems.push(`${catalogEntry.name}: port ${listener.standardPort} reaches container port ${target}, but ${listener.portVariable} is ${opened}`);
    }
  }
  return problems;
}

/** Deployments behind a LoadBalancer Service (they need a preStop delay). */
export function exposedDeployments(manifests: RenderedManifests): Set<string> {
  return new Set(
    manifests
      .ofKind<IService>('Service')
      .filter((service) => service.spec?.type === 'LoadBalancer')
      .flatMap((service) => manifests.selectedDeployments(service.spec?.selector).map((d) => d.metadata?.name ?? '')),
  );
}

/** `0.1.0` → `-0-1-0`: the Job name suffix of a release. */
export function releaseSuffix(tag: string): string {
  return `-${tag
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
}

/**
 * One migration Job: mailbox-store's image and database, `migrate` as its
 * argument, named after the release (the image tag) so that each release
 * migrates once and a re-apply of the same release changes nothing.
 */
export function migrationJobProblems(manifests: RenderedManifests): string[] {
  const jobs = manifests.ofKind<IJob>('Job').filter((job) => job.metadata?.labels?.['app.kubernetes.io/component'] === 'migration');
  if (jobs.length !== 1) return [`expected one migration Job (label app.kubernetes.io/component=migration), found ${jobs.length}`];
  const job = jobs[0] as IJob;
  const store = manifests.deployment('mailbox-store');
  const storeContainer = store && mainContainer({ object: store, name: 'mailbox-store', podLabels: {}, pod: store.spec?.template.spec ?? { containers: [] } });
  const container = job.spec?.template.spec?.containers[0];
  const problems: string[] = [];
  if (!container || !storeContainer) return ['the migration Job or mailbox-store has no container'];
  if (container.image !== storeContainer.image) problems.push(`the migration Job runs ${container.image}, mailbox-store runs ${storeContainer.image}`);
  if ((container.args ?? []).join(' ') !== 'migrate') problems.push(`the migration Job should run with args ["migrate"], has ${JSON.stringify(container.args)}`);
  const database = (c: typeof container) => JSON.stringify(c.env?.find((e) => e.name === 'DATABASE_URL') ?? null);
  if (database(container) !== database(storeContainer)) problems.push('the migration Job and mailbox-store take DATABASE_URL from different places');
  if (!['OnFailure', 'Never'].includes(job.spec?.template.spec?.restartPolicy ?? '')) problems.push('the migration Job needs restartPolicy OnFailure or Never');
  const tag = imageTag(container.image);
  if (!tag) problems.push(`the migration Job's image ${container.image} has no tag to name the release by`);
  else if (job.metadata?.name !== `mailbox-store-migrate${releaseSuffix(tag)}`) {
    problems.push(`the migration Job is named ${job.metadata?.name} but the release (image tag) is ${tag}: set nameSuffix: ${releaseSuffix(tag)} in the overlay's release/kustomization.yaml`);
  }
  return problems;
}

/** A ServiceMonitor scrapes /metrics on port `ops` of a Service in front of every Deployment. */
export function monitoringProblems(manifests: RenderedManifests): string[] {
  const monitors = manifests.ofKind<ServiceMonitor>('ServiceMonitor');
  const scraped = manifests
    .ofKind<IService>('Service')
    .filter((service) =>
      monitors.some(
        (monitor) =>
          selects(monitor.spec.selector?.matchLabels ?? { '': '' }, service.metadata?.labels ?? {}) &&
          monitor.spec.endpoints?.some((e) => e.path === '/metrics' && service.spec?.ports?.some((p) => p.name === e.port)),
      ),
    );
  return manifests
    .deployments()
    .filter((deployment) => !scraped.some((service) => manifests.selectedDeployments(service.spec?.selector).includes(deployment)))
    .map((deployment) => `no ServiceMonitor scrapes /metrics of ${deployment.metadata?.name}`);
}

/** ConfigMaps and Secrets referred to exist (or are among those the operator creates), with the keys asked for. */
export function referenceProblems(manifests: RenderedManifests, externalSecrets: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const workload of manifests.workloads()) {
    const refs: { kind: 'ConfigMap' | 'Secret'; name: string; key?: string; optional?: boolean }[] = [];
    for (const container of workload.pod.containers) {
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef) refs.push({ kind: 'ConfigMap', name: source.configMapRef.name ?? '', optional: source.configMapRef.optional });
        if (source.secretRef) refs.push({ kind: 'Secret', name: source.secretRef.name ?? '', optional: source.secretRef.optional });
      }
      for (const variable of container.env ?? []) {
        const secret = variable.valueFrom?.secretKeyRef;
        const config = variable.valueFrom?.configMapKeyRef;
        if (secret) refs.push({ kind: 'Secret', name: secret.name ?? '', key: secret.key, optional: secret.optional });
        if (config) refs.push({ kind: 'ConfigMap', name: config.name ?? '', key: config.key, optional: config.optional });
      }
    }
    for (const volume of workload.pod.volumes ?? []) {
      if (volume.secret) refs.push({ kind: 'Secret', name: volume.secret.secretName ?? '', optional: volume.secret.optional });
      if (volume.configMap) refs.push({ kind: 'ConfigMap', name: volume.configMap.name ?? '', optional: volume.configMap.optional });
    }
    for (const ref of refs) {
      const found = manifests.find<IConfigMap | ISecret>(ref.kind, ref.name);
      if (!found) {
        if (ref.kind === 'Secret' && externalSecrets.has(ref.name)) continue;
        if (!ref.optional) problems.push(`${workload.name} refers to ${ref.kind} ${ref.name}, which is neither rendered nor created by the operator`);
        continue;
      }
      const keys = new Set([...Object.keys(found.data ?? {}), ...Object.keys((found as ISecret).stringData ?? {})]);
      if (ref.key !== undefined && !keys.has(ref.key)) problems.push(`${workload.name} needs key ${ref.key} of ${ref.kind} ${ref.name}, which lacks it`);
    }
  }
  return problems;
}
