/**
 * What each overlay under deploy/kubernetes/overlays promises beyond the
 * invariants every overlay keeps: stream replication, how many pods each
 * service starts with, how much disruption its budgets allow, TLS, and
 * whether it may carry the example Secret.
 */
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { busParties } from '@mail/contracts';
import { natsCaSecret, secretNameOf } from './nats-auth/nats-users';
import { scalersOf } from './platform-checks';
import type { RenderedManifests } from './rendered-manifests';
import { services, type ServiceName } from './workspace';

export interface OverlayExpectations {
  /** NATS_STREAM_REPLICAS: JetStream replicas of every stream and of the body bucket. */
  readonly streamReplicas: number;
  /** Fewest pods a service starts with (autoscaler minimum, else replicas). */
  readonly minReplicas: Readonly<Record<ServiceName, number>>;
  /** At most this many pods at start (development keeps one of each). */
  readonly maxReplicas?: number;
  /** minAvailable of every PodDisruptionBudget, when the overlay sets it. */
  readonly pdbMinAvailable?: number;
  /** STARTTLS/STLS configured, POP3 passwords refused in clear text, IMAP's not allowed even from loopback. */
  readonly tls: boolean;
  /** The overlay renders the example Secret mail-secrets (never where real mail lives). */
  readonly exampleSecrets: boolean;
}

const everyService = (count: number) => Object.fromEntries(services.map((service) => [service, count])) as Record<ServiceName, number>;

const production: OverlayExpectations = { streamReplicas: 3, minReplicas: everyService(2), pdbMinAvailable: 1, tls: true, exampleSecrets: false };

export const overlayExpectations: Readonly<Record<string, OverlayExpectations>> = {
  dev: { streamReplicas: 1, minReplicas: everyService(1), maxReplicas: 1, tls: false, exampleSecrets: true },
  production,
  'production-operators': production,
};

/** Secrets the operator creates by hand or an operator generates (deploy/README.md). */
export const externalSecrets: ReadonlySet<string> = new Set(['mail-secrets', 'mail-tls', 'mail-db-app', ...busParties.map(secretNameOf), natsCaSecret]);

/** Pods a service starts with: its autoscaler's minimum, else its replica count (default 1). */
export function startReplicas(manifests: RenderedManifests, service: string): number {
  const { hpas, scaledObjects } = scalersOf(manifests, service);
  return hpas[0]?.spec.minReplicas ?? scaledObjects[0]?.spec.minReplicaCount ?? manifests.deployment(service)?.spec?.replicas ?? 1;
}

export function expectationProblems(manifests: RenderedManifests, expected: OverlayExpectations): string[] {
  const problems: string[] = [];
  const replicas = manifests.setting('NATS_STREAM_REPLICAS');
  if (replicas !== String(expected.streamReplicas)) problems.push(`NATS_STREAM_REPLICAS is ${replicas}, expected ${expected.streamReplicas}`);
  for (const service of services) {
    const count = startReplicas(manifests, service);
    if (count < expected.minReplicas[service]) problems.push(`${service} starts with ${count} pod(s), expected at least ${expected.minReplicas[service]}`);
    if (expected.maxReplicas !== undefined && count > expected.maxReplicas) problems.push(`${service} starts with ${count} pods, expected at most ${expected.maxReplicas}`);
  }
  if (expected.pdbMinAvailable !== undefined) {
    for (const pdb of manifests.ofKind<IPodDisruptionBudget>('PodDisruptionBudget')) {
      if (pdb.spec?.minAvailable !== expected.pdbMinAvailable || pdb.spec.maxUnavailable !== undefined) {
        problems.push(`PodDisruptionBudget ${pdb.metadata?.name}: expected minAvailable ${expected.pdbMinAvailable} (and no maxUnavailable)`);
      }
    }
  }
  const tls = manifests.setting('TLS_CERT_FILE') !== undefined && manifests.setting('TLS_KEY_FILE') !== undefined;
  if (tls !== expected.tls) problems.push(expected.tls ? 'TLS_CERT_FILE/TLS_KEY_FILE are not set' : 'TLS is configured, but this overlay has no certificate');
  if (expected.tls && manifests.setting('POP3_ALLOW_PLAINTEXT_AUTH') !== 'false') problems.push('POP3_ALLOW_PLAINTEXT_AUTH should be false once TLS is configured');
  // IMAP refuses passwords without TLS by default; the development exception (loopback clients) has no place beside a certificate
  if (expected.tls && manifests.setting('IMAP_ALLOW_PLAINTEXT_AUTH') === 'true') problems.push('IMAP_ALLOW_PLAINTEXT_AUTH should not be true once TLS is configured');
  const example = manifests.find<ISecret>('Secret', 'mail-secrets');
  if (expected.exampleSecrets && !example) problems.push('the example Secret mail-secrets is missing');
  if (!expected.exampleSecrets && example) problems.push('this overlay renders Secret mail-secrets: applying it would overwrite the real credentials');
  for (const party of busParties) {
    const nats = manifests.find<ISecret>('Secret', secretNameOf(party));
    if (expected.exampleSecrets && !nats) problems.push(`the example Secret ${secretNameOf(party)} is missing`);
    if (!expected.exampleSecrets && nats) problems.push(`this overlay renders Secret ${secretNameOf(party)}: applying it would overwrite the real NATS credentials`);
  }
  return problems;
}
