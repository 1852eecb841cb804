/**
 * The NetworkPolicies of a rendered overlay, read the way the cluster's
 * network plugin reads them: a pod is isolated in a direction once any
 * policy of that type selects it, and may then use exactly the union of the
 * rules of the policies that select it. `allowedFlows` lists those rules for
 * a pod as short strings (`egress TCP/4222 to namespace nats`); the expected
 * flows of each service follow from @mail/service-catalog (its listeners,
 * Redis, PostgreSQL) and the platform's few fixed neighbours, so a policy
 * that lets a service reach more, or less, than it needs is found by name.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { schemaOwner, serviceCatalog } from '@mail/service-catalog';
import { mainContainer, type RenderedManifests, type Workload } from './rendered-manifests';

/** A label selector, as NetworkPolicies hold it. */
type ILabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];

/** The namespaces of the platform's neighbours (deploy/README.md): NATS, kube-prometheus-stack, kube-dns. */
export const neighbours = { nats: 'nats', monitoring: 'monitoring', dns: 'kube-system' } as const;

/** Ports of the engines outside the pods of the platform. */
export const enginePorts = { nats: 4222, redis: 6379, postgres: 5432, smtp: 25, dns: 53 } as const;

/**
 * The port outbound-relay sends to: 25 at the recipients' MX hosts, or the
 * smarthost's (OUTBOUND_RELAY_HOST `[host]:port` or `host:port`; 587 by
 * default, 465 with OUTBOUND_RELAY_TLS=implicit, RFC 8314 §3.3).
 */
export function relayPort(environment: ReadonlyMap<string, string>): number {
  const smarthost = environment.get('OUTBOUND_RELAY_HOST');
  if (smarthost === undefined || smarthost === '') return enginePorts.smtp;
  const port = /:(\d+)$/.exec(smarthost.replace(/^\[[^\]]*\]/, (bracketed) => (bracketed.includes(':') ? '[]' : bracketed)))?.[1];
  return port !== undefined ? Number(port) : environment.get('OUTBOUND_RELAY_TLS') === 'implicit' ? 465 : 587;
}

/** True when a label selector picks these labels (matchLabels and matchExpressions; an empty selector picks all). */
export function selectorMatches(selector: ILabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const holds =
      expression.operator === 'In'
        ? value !== undefined && values.includes(value)
        : expression.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : expression.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!holds) return false;
  }
  return true;
}

/** `namespace nats`, `pods app.kubernetes.io/name=mailbox-store`, `anywhere`: who a peer is, for messages. */
function describePeer(peer: INetworkPolicyPeer): string {
  if (peer.ipBlock) return ['0.0.0.0/0', '::/0'].includes(peer.ipBlock.cidr) && !peer.ipBlock.except?.length ? 'anywhere' : `ipBlock ${peer.ipBlock.cidr}`;
  const labels = (selector: ILabelSelector | undefined) => [
    ...Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`),
    ...(selector?.matchExpressions ?? []).map((e) => `${e.key} ${e.operator} ${(e.values ?? []).join('|')}`),
  ];
  const parts: string[] = [];
  if (peer.namespaceSelector) {
    const named = peer.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
    parts.push(named !== undefined && labels(peer.namespaceSelector).length === 1 ? `namespace ${named}` : `namespaces ${labels(peer.namespaceSelector).join(',') || 'all'}`);
  }
  if (peer.podSelector) parts.push(`pods ${labels(peer.podSelector).join(',') || 'all'}`);
  return parts.join(' ');
}

/** `TCP/4222`, or a named port resolved against the pod's container for ingress (`TCP/smtp=2525`). */
function describePort(port: INetworkPolicyPort, container: IContainer | undefined): string {
  const protocol = port.protocol ?? 'TCP';
  if (port.port === undefined) return `${protocol}/any`;
  if (typeof port.port === 'number') return `${protocol}/${port.port}${port.endPort ? `-${port.endPort}` : ''}`;
  const number = container?.ports?.find((p) => p.name === port.port)?.containerPort;
  return `${protocol}/${port.port}=${number ?? 'undeclared'}`;
}

/** What the policies of an overlay allow a pod, one string per port and peer; `isolated` says which directions any policy restricts. */
export function allowedFlows(policies: readonly INetworkPolicy[], labels: Readonly<Record<string, string>>, container?: IContainer): { isolated: Set<'Ingress' | 'Egress'>; flows: string[] } {
  const isolated = new Set<'Ingress' | 'Egress'>();
  const flows = new Set<string>();
  for (const policy of policies) {
    if (!selectorMatches(policy.spec?.podSelector, labels)) continue;
    const types = policy.spec?.policyTypes ?? (policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    for (const type of types) isolated.add(type as 'Ingress' | 'Egress');
    for (const rule of policy.spec?.ingress ?? []) {
      for (const port of rule.ports ?? [{}]) for (const peer of rule.from ?? [{ ipBlock: { cidr: '0.0.0.0/0' } }]) flows.add(`ingress ${describePort(port, container)} from ${describePeer(peer)}`);
    }
    for (const rule of policy.spec?.egress ?? []) {
      for (const port of rule.ports ?? [{}]) for (const peer of rule.to ?? [{ ipBlock: { cidr: '0.0.0.0/0' } }]) flows.add(`egress ${describePort(port, undefined)} to ${describePeer(peer)}`);
    }
  }
  return { isolated, flows: [...flows].sort() };
}

/**
 * Flows allowed beyond the need without a finding: with a smarthost,
 * components/smarthost keeps port 25 and opens both submission ports (587
 * and 465), so that switching OUTBOUND_RELAY_TLS or back to direct delivery
 * needs no policy change.
 */
function toleratedFlows(manifests: RenderedManifests, workload: Workload): string[] {
  const container = mainContainer(workload);
  if (workload.podLabels['app.kubernetes.io/name'] !== 'outbound-relay' || !container || relayPort(manifests.environment(container)) === enginePorts.smtp) return [];
  return [enginePorts.smtp, 465, 587].map((port) => `egress TCP/${port} to anywhere`);
}

/** The flows a workload of the platform needs, from the catalog: nothing more may be open. */
export function expectedFlows(manifests: RenderedManifests, workload: Workload): string[] | undefined {
  const service = serviceCatalog.find((candidate) => candidate.name === (workload.podLabels['app.kubernetes.io/name'] ?? ''));
  const container = mainContainer(workload);
  if (!service || !container) return undefined;
  const dns = [`egress UDP/${enginePorts.dns} to namespace ${neighbours.dns} pods k8s-app=kube-dns`, `egress TCP/${enginePorts.dns} to namespace ${neighbours.dns} pods k8s-app=kube-dns`];
  const flows = [...dns];
  if (service.infrastructure.postgres !== undefined) flows.push(`egress TCP/${enginePorts.postgres} to anywhere`);
  // The migration Job needs only its database, but shares mailbox-store's labels and so its policies.
  flows.push(`egress TCP/${enginePorts.nats} to namespace ${neighbours.nats}`);
  flows.push(`ingress TCP/ops=${container.ports?.find((p) => p.name === 'ops')?.containerPort ?? 'undeclared'} from namespace ${neighbours.monitoring} pods app.kubernetes.io/name=prometheus`);
  if (service.infrastructure.redis !== undefined) flows.push(`egress TCP/${enginePorts.redis} to anywhere`);
  const environment = manifests.environment(container);
  if (service.name === 'outbound-relay') flows.push(`egress TCP/${relayPort(environment)} to anywhere`);
  for (const listener of service.listeners) {
    if (listener.defaultPort === undefined && environment.get(listener.portVariable) === undefined) continue;
    const port = container.ports?.find((p) => String(p.containerPort) === (environment.get(listener.portVariable) ?? String(listener.defaultPort)));
    flows.push(`ingress TCP/${port?.name ?? listener.portVariable}=${port?.containerPort ?? 'undeclared'} from anywhere`);
  }
  return flows.sort();
}

/**
 * Every pod of the overlay is isolated both ways by a default-deny policy,
 * and each workload of a service may use exactly the flows its catalog
 * entry needs: clients to its listeners, Prometheus to its ops port, NATS
 * and DNS for all, PostgreSQL for the schema owner alone, Redis for its
 * users, port 25 for the relay.
 */
export function networkPolicyProblems(manifests: RenderedManifests): string[] {
  const policies = manifests.ofKind<INetworkPolicy>('NetworkPolicy');
  const problems: string[] = [];
  const selectsEveryPod = (p: INetworkPolicy) => !p.spec?.podSelector?.matchLabels && !p.spec?.podSelector?.matchExpressions?.length;
  const deniesAll = (p: INetworkPolicy) =>
    selectsEveryPod(p) && !p.spec?.ingress?.length && !p.spec?.egress?.length && p.spec?.policyTypes?.includes('Ingress') && p.spec.policyTypes.includes('Egress');
  if (!policies.some(deniesAll)) problems.push('no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)');
  for (const workload of manifests.workloads()) {
    const container = mainContainer(workload);
    const expected = expectedFlows(manifests, workload);
    if (!expected) continue;
    const { flows } = allowedFlows(policies, workload.podLabels, container);
    const tolerated = toleratedFlows(manifests, workload);
    for (const flow of flows.filter((f) => !expected.includes(f) && !tolerated.includes(f))) problems.push(`${workload.name}: NetworkPolicies allow ${flow}, which it does not need`);
    for (const flow of expected.filter((f) => !flows.includes(f))) problems.push(`${workload.name}: no NetworkPolicy allows ${flow}`);
  }
  for (const cluster of manifests.ofKind('Cluster')) {
    const labels = { 'cnpg.io/cluster': cluster.metadata.name };
    const postgres = allowedFlows(policies, labels).flows.filter((flow) => flow.startsWith(`ingress TCP/${enginePorts.postgres} `));
    const expected = [
      `ingress TCP/${enginePorts.postgres} from pods app.kubernetes.io/name=${schemaOwner.name}`,
      `ingress TCP/${enginePorts.postgres} from pods cnpg.io/cluster=${cluster.metadata.name}`,
    ];
    if (JSON.stringify(postgres) !== JSON.stringify(expected.sort()))
      problems.push(`PostgreSQL cluster ${cluster.metadata.name}: port ${enginePorts.postgres} is open to [${postgres.join('; ')}], expected [${expected.join('; ')}]`);
  }
  return problems;
}
