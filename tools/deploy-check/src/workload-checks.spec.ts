import { describe, expect, it } from 'vitest';
import { exposedDeployments } from './platform-checks';
import type { RenderedManifests } from './rendered-manifests';
import { renderedFixture, type Editable } from './testdata';
import { drainSettings, preStopSeconds, probeProblems, resourceProblems, rolloutProblems, securityProblems } from './workload-checks';
import { readWorkspaceFile } from './workspace';

const all = (manifests: RenderedManifests) => {
  const exposed = exposedDeployments(manifests);
  return [
    ...manifests.workloads().flatMap((w) => [...(w.object.kind === 'Deployment' ? probeProblems(manifests, w) : []), ...resourceProblems(w), ...securityProblems(w, 1000)]),
    ...manifests.deployments().flatMap((d) => rolloutProblems(manifests, d, exposed.has(d.metadata?.name ?? ''))),
  ];
};

const container = (d: Editable) => d.spec.template.spec.containers[0];

describe('the workload checks', () => {
  it('accept the rendered production overlay', () => {
    expect(all(renderedFixture())).toEqual([]);
  });

  it('find a missing readiness probe, a wrong liveness path and a probe on an undeclared port', () => {
    const manifests = renderedFixture((edit) => {
      edit('Deployment', 'spam-filter', (d) => delete container(d).readinessProbe);
      edit('Deployment', 'pop3-server', (d) => (container(d).livenessProbe.httpGet.path = '/'));
      edit('Deployment', 'mailbox-store', (d) => (container(d).livenessProbe.httpGet.port = 'metrics'));
    });
    expect(all(manifests)).toEqual([
      'mailbox-store: livenessProbe port metrics is not a port of the container',
      'pop3-server: livenessProbe asks /, expected /healthz',
      'spam-filter: no readinessProbe with httpGet /readyz',
    ]);
  });

  it('find probes on a port other than HTTP_PORT', () => {
    const manifests = renderedFixture((edit) => edit('Deployment', 'outbound-relay', (d) => container(d).env.push({ name: 'HTTP_PORT', value: '9999' })));
    expect(all(manifests)).toEqual([expect.stringMatching(/livenessProbe probes port 9100, but HTTP_PORT is 9999/), expect.stringMatching(/readinessProbe probes port 9100/)]);
  });

  it('find missing limits and a request above its limit', () => {
    const manifests = renderedFixture((edit) => {
      edit('Deployment', 'smtp-ingress', (d) => delete container(d).resources.limits);
      edit('Job', 'mailbox-store-migrate', (j) => (container(j).resources.requests.memory = '2Gi'));
    });
    expect(all(manifests)).toEqual(['smtp-ingress/smtp-ingress: no cpu limit', 'smtp-ingress/smtp-ingress: no memory limit', 'mailbox-store-migrate-0-1-0/migrate: memory request above its limit']);
  });

  it('find a pod that may run as root, write its root filesystem, escalate or keep capabilities', () => {
    const manifests = renderedFixture((edit) =>
      edit('Deployment', 'spam-filter', (d) => {
        delete d.spec.template.spec.securityContext.runAsNonRoot;
        delete container(d).securityContext;
        d.spec.template.spec.securityContext.runAsUser = 0;
        d.spec.template.spec.automountServiceAccountToken = true;
      }),
    );
    expect(all(manifests)).toEqual([
      expect.stringMatching(/automountServiceAccountToken/),
      'spam-filter/spam-filter: runAsNonRoot is not true',
      'spam-filter/spam-filter: runAsUser is 0',
      "spam-filter/spam-filter: runAsUser 0 differs from the image's USER 1000",
      'spam-filter/spam-filter: readOnlyRootFilesystem is not true',
      'spam-filter/spam-filter: allowPrivilegeEscalation is not false',
      'spam-filter/spam-filter: capabilities do not drop ALL',
    ]);
  });

  it('find a read-only pod without a writable /tmp, and no seccomp profile', () => {
    const manifests = renderedFixture((edit) =>
      edit('Deployment', 'pop3-server', (d) => {
        container(d).volumeMounts = container(d).volumeMounts.filter((m: { mountPath: string }) => m.mountPath !== '/tmp');
        delete d.spec.template.spec.securityContext.seccompProfile;
      }),
    );
    expect(all(manifests)).toEqual(['pop3-server/pop3-server: seccompProfile is not RuntimeDefault', expect.stringMatching(/pop3-server\/pop3-server: no emptyDir at \/tmp/)]);
  });

  it('find a rollout that takes pods away first, or kills sessions before the drain ends', () => {
    const manifests = renderedFixture((edit) => {
      edit('Deployment', 'outbound-relay', (d) => (d.spec.strategy.rollingUpdate = { maxUnavailable: 1, maxSurge: '25%' }));
      edit('Deployment', 'smtp-ingress', (d) => (d.spec.template.spec.terminationGracePeriodSeconds = 30));
      edit('Deployment', 'pop3-server', (d) => delete container(d).lifecycle);
      edit('Deployment', 'imap-server', (d) => container(d).env.push({ name: 'IMAP_SHUTDOWN_GRACE', value: '25s' }));
    });
    expect(all(manifests)).toEqual([
      'imap-server: terminationGracePeriodSeconds 30 < preStop 5 s + IMAP_SHUTDOWN_GRACE 25 s + 5 s',
      'outbound-relay: rollingUpdate.maxUnavailable should be 0, is 1',
      'outbound-relay: rollingUpdate.maxSurge should be 1, is 25%',
      expect.stringMatching(/pop3-server: behind a load balancer but no preStop delay/),
      'smtp-ingress: terminationGracePeriodSeconds 30 < preStop 5 s + SMTP_DRAIN_TIMEOUT 30 s + 5 s',
    ]);
  });

  it('assume the drain defaults that docs/configuration.md lists', () => {
    const reference = readWorkspaceFile('docs/configuration.md');
    for (const { variable, fallback } of Object.values(drainSettings)) expect(reference).toContain(`| \`${variable}\` | \`${fallback}\` |`);
  });

  it('read the preStop delay of an exec sleep or a sleep action', () => {
    expect(preStopSeconds({ exec: { command: ['/bin/sh', '-c', 'sleep 7'] } })).toBe(7);
    expect(preStopSeconds({ sleep: { seconds: 3 } })).toBe(3);
    expect(preStopSeconds(undefined)).toBe(0);
  });
});
