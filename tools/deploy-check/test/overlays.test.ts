/**
 * RENDERING TESTS — need kubectl (built-in kustomize >= v4.5.4). Each
 * overlay under deploy/kubernetes/overlays is rendered with `kubectl
 * kustomize`, every object is validated against the Kubernetes schemas
 * (kubernetes-models), and the platform's invariants are checked. Without a
 * suitable kubectl these tests FAIL (they do not skip), naming what to install.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { BusNamespace, Consumers } from '@mail/contracts';
import { describe, expect, it } from 'vitest';
import { connectionSettingProblems, neededConnectionSettings } from '../src/connection-settings';
import { parseDockerfile } from '../src/dockerfile';
import { imageUid } from '../src/image-definition';
import { basePortabilityProblems, consumerKustomization } from '../src/base-portability';
import { kustomizeVersion, renderKustomization, renderOverlay } from '../src/kustomize';
import { parseManifestStream, schemaProblems } from '../src/manifest-stream';
import { migrationHookProblems } from '../src/migration-hook';
import { networkPolicyProblems } from '../src/network-policies';
import { expectationProblems, externalSecrets, overlayExpectations } from '../src/overlay-expectations';
import {
  autoscalingProblems,
  disruptionBudgetProblems,
  exposedDeployments,
  migrationJobProblems,
  monitoringProblems,
  namespaceProblems,
  referenceProblems,
  serviceProblems,
  type ConsumerRef,
} from '../src/platform-checks';
import { RenderedManifests } from '../src/rendered-manifests';
import { alertRulesPath, renderedRuleProblems } from '../src/prometheus-rule';
import { probeProblems, resourceProblems, rolloutProblems, securityProblems } from '../src/workload-checks';
import { readWorkspaceFile, services, workspaceRoot } from '../src/workspace';

const overlays = readdirSync(join(workspaceRoot, 'deploy', 'kubernetes', 'overlays'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const uid = imageUid(parseDockerfile(readWorkspaceFile('deploy/docker/Dockerfile')));

/** The durable consumers of the bus catalog, by durable name, in the overlay's NATS namespace. */
function consumersIn(namespace: string): Map<string, ConsumerRef> {
  const ns = new BusNamespace(namespace);
  return new Map(Object.values(Consumers).map((consumer) => [consumer.durable, { stream: ns.streamName(consumer.event.stream), durable: consumer.durable }]));
}

describe('kubectl kustomize [needs kubectl]', () => {
  it('is installed with kustomize >= v4.5.4', () => {
    expect(kustomizeVersion()).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it('finds the overlays dev and production, each with its expectations', () => {
    expect(overlays).toEqual(expect.arrayContaining(['dev', 'production']));
    for (const overlay of overlays) expect(Object.keys(overlayExpectations), `add expectations for overlay ${overlay}`).toContain(overlay);
  });
});

describe('the base [needs kubectl]', () => {
  const base = join(workspaceRoot, 'deploy', 'kubernetes', 'base');

  it('names no namespace and needs no custom resource definitions', () => {
    expect(basePortabilityProblems(parseManifestStream(renderKustomization(base)))).toEqual([]);
  });

  it('renders into the namespace of an overlay elsewhere that pins it (the remote-base pattern of deploy/README.md)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-check-consumer-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), consumerKustomization(relative(dir, base), 'mail-elsewhere'));
      const objects = parseManifestStream(renderKustomization(dir));
      expect(objects.length).toBeGreaterThan(0);
      expect(new Set(objects.map((object) => object.metadata.namespace))).toEqual(new Set(['mail-elsewhere']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Renders an overlay once; every test that needs it fails with the same error when it cannot be rendered. */
function rendering(overlay: string): () => RenderedManifests {
  let outcome: { manifests: RenderedManifests } | { error: unknown } | undefined;
  return () => {
    if (!outcome) {
      try {
        outcome = { manifests: new RenderedManifests(parseManifestStream(renderOverlay(overlay))) };
      } catch (error) {
        outcome = { error };
      }
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.manifests;
  };
}

describe.each(overlays)('overlay %s [needs kubectl]', (overlay) => {
  const rendered = rendering(overlay);

  it('renders objects that all validate against their schemas', () => {
    const manifests = rendered();
    expect(manifests.objects.length).toBeGreaterThan(0);
    expect(manifests.objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('puts everything in the mail namespace', () => {
    const manifests = rendered();
    expect(namespaceProblems(manifests, 'mail')).toEqual([]);
  });

  it('runs one Deployment per service', () => {
    const manifests = rendered();
    expect(
      manifests
        .deployments()
        .map((d) => d.metadata?.name)
        .sort(),
    ).toEqual([...services].sort());
  });

  it('probes /healthz and /readyz on the ops port of every Deployment', () => {
    const manifests = rendered();
    const deployments = manifests.workloads().filter((w) => w.object.kind === 'Deployment');
    expect(deployments.flatMap((workload) => probeProblems(manifests, workload))).toEqual([]);
  });

  it('gives every container resource requests and limits', () => {
    const manifests = rendered();
    expect(manifests.workloads().flatMap(resourceProblems)).toEqual([]);
  });

  it('runs every pod non-root, read-only, without privilege escalation or capabilities', () => {
    const manifests = rendered();
    expect(manifests.workloads().flatMap((workload) => securityProblems(workload, uid))).toEqual([]);
  });

  it('rolls out without losing mail (surge first, grace above the drain, preStop behind load balancers)', () => {
    const manifests = rendered();
    const exposed = exposedDeployments(manifests);
    expect(manifests.deployments().flatMap((d) => rolloutProblems(manifests, d, exposed.has(d.metadata?.name ?? '')))).toEqual([]);
  });

  it('has a PodDisruptionBudget for every Deployment', () => {
    const manifests = rendered();
    expect(disruptionBudgetProblems(manifests)).toEqual([]);
  });

  it('autoscales smtp-ingress, imap-server and outbound-relay, on metrics that exist', () => {
    const manifests = rendered();
    expect(autoscalingProblems(manifests, consumersIn(manifests.setting('NATS_NAMESPACE') ?? 'mail'))).toEqual([]);
  });

  it('exposes SMTP, POP3 and IMAP (submissions, POP3S, IMAPS where enabled) through dual-stack LoadBalancers with externalTrafficPolicy Local', () => {
    const manifests = rendered();
    expect(serviceProblems(manifests)).toEqual([]);
  });

  it('runs the migration Job of the release', () => {
    const manifests = rendered();
    expect(migrationJobProblems(manifests)).toEqual([]);
  });

  it('runs the migration Job under Argo CD only after everything it refers to exists (first sync, config change)', () => {
    expect(migrationHookProblems(rendered())).toEqual([]);
  });

  it('denies all traffic by default and allows each service exactly the flows its catalog entry needs', () => {
    expect(networkPolicyProblems(rendered())).toEqual([]);
  });

  it('scrapes /metrics of every service and ships the dashboards ConfigMap', () => {
    const manifests = rendered();
    expect(monitoringProblems(manifests)).toEqual([]);
    expect(manifests.find('ConfigMap', 'mail-grafana-dashboards')?.metadata.labels?.['grafana_dashboard']).toBe('1');
  });

  it('applies the alert rules of deploy/prometheus/alerts.yaml as a PrometheusRule', () => {
    expect(renderedRuleProblems(rendered().ofKind('PrometheusRule'), readWorkspaceFile(alertRulesPath))).toEqual([]);
  });

  it('tells every service where NATS, and the Redis and PostgreSQL it uses, are', () => {
    expect(connectionSettingProblems(rendered(), neededConnectionSettings())).toEqual([]);
  });

  it('refers only to ConfigMaps and Secrets that exist or that the operator creates', () => {
    const manifests = rendered();
    expect(referenceProblems(manifests, externalSecrets)).toEqual([]);
  });

  it("keeps the overlay's promises (stream replicas, pod counts, budgets, TLS, secrets)", () => {
    const manifests = rendered();
    const expected = overlayExpectations[overlay];
    expect(expected, `no expectations for overlay ${overlay} in src/overlay-expectations.ts`).toBeDefined();
    if (expected) expect(expectationProblems(manifests, expected)).toEqual([]);
  });
});
