import { describe, expect, it } from 'vitest';
import { externalSecrets } from './overlay-expectations';
import {
  autoscalingProblems,
  disruptionBudgetProblems,
  migrationJobProblems,
  monitoringProblems,
  namespaceProblems,
  referenceProblems,
  releaseSuffix,
  serviceProblems,
  sessionScaling,
  type ConsumerRef,
} from './platform-checks';
import { renderedFixture, type Editable } from './testdata';
import { readWorkspaceFile } from './workspace';

const consumers = new Map<string, ConsumerRef>([
  ['spam-filter', { stream: 'MAIL_INBOUND', durable: 'spam-filter' }],
  ['mailbox-store', { stream: 'MAIL_INBOUND', durable: 'mailbox-store' }],
  ['outbound-relay', { stream: 'MAIL_OUTBOUND', durable: 'outbound-relay' }],
]);

const scaledObject = (name: string, stream: string, consumer: string) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: { name, namespace: 'mail' },
  spec: { scaleTargetRef: { name }, minReplicaCount: 2, triggers: [{ type: 'nats-jetstream', metadata: { stream, consumer } }] },
});

describe('the platform checks on the rendered production overlay', () => {
  const manifests = renderedFixture();

  it('find nothing wrong', () => {
    expect([
      ...namespaceProblems(manifests, 'mail'),
      ...disruptionBudgetProblems(manifests),
      ...autoscalingProblems(manifests, consumers),
      ...serviceProblems(manifests),
      ...migrationJobProblems(manifests),
      ...monitoringProblems(manifests),
      ...referenceProblems(manifests, externalSecrets),
    ]).toEqual([]);
  });
});

describe('namespaceProblems', () => {
  it('finds an object outside the namespace', () => {
    const manifests = renderedFixture((edit) => edit('Service', 'pop3-server-ops', (s) => delete s.metadata.namespace));
    expect(namespaceProblems(manifests, 'mail')).toEqual(['Service/pop3-server-ops is not in namespace mail']);
  });
});

describe('disruptionBudgetProblems', () => {
  it('finds a Deployment without a budget and a budget that selects nothing', () => {
    const manifests = renderedFixture((edit) => edit('PodDisruptionBudget', 'spam-filter', (p) => (p.spec.selector.matchLabels = { app: 'gone' })));
    expect(disruptionBudgetProblems(manifests)).toEqual(['Deployment spam-filter: 0 PodDisruptionBudgets select its pods, expected 1', 'PodDisruptionBudget spam-filter selects no Deployment']);
  });
});

describe('autoscalingProblems', () => {
  it('finds an ingress autoscaler without the sessions metric and a relay autoscaler on the wrong consumer', () => {
    const manifests = renderedFixture((edit) => {
      edit('HorizontalPodAutoscaler', 'smtp-ingress', (h) => (h.spec.metrics = h.spec.metrics.filter((m: { type: string }) => m.type !== 'Pods')));
      edit('HorizontalPodAutoscaler', 'outbound-relay', (h) => (h.spec.metrics[0].external.metric.selector.matchLabels.consumer_name = 'relay'));
    });
    expect(autoscalingProblems(manifests, consumers)).toEqual([
      'the smtp-ingress HPA does not scale on mail_smtp_sessions_active (connections)',
      expect.stringMatching(/outbound-relay is scaled neither by an HPA on the pending messages of MAIL_OUTBOUND\/outbound-relay/),
    ]);
  });

  it('finds an IMAP autoscaler without CPU, and session targets at or above the per-process cap', () => {
    const manifests = renderedFixture((edit) => {
      edit('HorizontalPodAutoscaler', 'imap-server', (h) => (h.spec.metrics = h.spec.metrics.filter((m: { type: string }) => m.type !== 'Resource')));
      edit('HorizontalPodAutoscaler', 'smtp-ingress', (h) => (h.spec.metrics.find((m: { type: string }) => m.type === 'Pods').pods.target.averageValue = '1000'));
      edit('Deployment', 'imap-server', (d) => d.spec.template.spec.containers[0].env.push({ name: 'IMAP_MAX_CONNECTIONS', value: '1500' }));
    });
    expect(autoscalingProblems(manifests, consumers)).toEqual([
      'the smtp-ingress HPA aims at 1000 sessions per pod, not below SMTP_MAX_CONNECTIONS (1000): its pods would turn clients away before it scales out',
      'the imap-server HPA does not scale on CPU',
      'the imap-server HPA aims at 2000 sessions per pod, not below IMAP_MAX_CONNECTIONS (1500): its pods would turn clients away before it scales out',
    ]);
    const unscaled = renderedFixture((_edit, objects) => {
      objects.splice(
        objects.findIndex((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'imap-server'),
        1,
      );
    });
    expect(autoscalingProblems(unscaled, consumers)).toEqual(['imap-server has no HorizontalPodAutoscaler']);
  });

  it('assumes the defaults of the session caps that docs/configuration.md lists', () => {
    const reference = readWorkspaceFile('docs/configuration.md');
    for (const { cap } of Object.values(sessionScaling)) expect(reference).toContain(`| \`${cap.variable}\` | \`${cap.fallback}\` |`);
  });

  it('accepts KEDA in place of the relay HPA, and finds a trigger on a consumer the catalog lacks', () => {
    const manifests = renderedFixture((_edit, objects) => {
      objects.splice(
        objects.findIndex((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'outbound-relay'),
        1,
      );
      objects.push(scaledObject('outbound-relay', 'MAIL_OUTBOUND', 'outbound-relay'));
      objects.push(scaledObject('spam-filter', 'MAIL_INBOUND', 'spam'));
      const spam = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'spam-filter') as Editable;
      delete spam.spec.replicas;
    });
    expect(autoscalingProblems(manifests, consumers)).toEqual(['ScaledObject spam-filter: stream MAIL_INBOUND has no consumer spam in the bus catalog']);
  });

  it('finds two autoscalers on one Deployment, a fixed replica count under an autoscaler, and a missing target', () => {
    const manifests = renderedFixture((edit, objects) => {
      objects.push(scaledObject('outbound-relay', 'MAIL_OUTBOUND', 'outbound-relay'));
      objects.push(scaledObject('gone', 'MAIL_OUTBOUND', 'outbound-relay'));
      edit('Deployment', 'smtp-ingress', (d) => (d.spec.replicas = 3));
    });
    expect(autoscalingProblems(manifests, consumers)).toEqual([
      'Deployment outbound-relay has more than one autoscaler',
      expect.stringMatching(/Deployment smtp-ingress is autoscaled but sets replicas/),
      'an autoscaler targets Deployment gone, which does not exist',
    ]);
  });
});

describe('serviceProblems', () => {
  it('finds a load balancer that hides the client address and a port that reaches nothing', () => {
    const manifests = renderedFixture((edit) => {
      edit('Service', 'smtp-ingress', (s) => (s.spec.externalTrafficPolicy = 'Cluster'));
      edit('Service', 'pop3-server-ops', (s) => (s.spec.ports[0].targetPort = 'metrics'));
    });
    expect(serviceProblems(manifests)).toEqual([
      'Service pop3-server-ops port 9100 → metrics: not a port of Deployment pop3-server',
      expect.stringMatching(/LoadBalancer Service smtp-ingress: externalTrafficPolicy should be Local/),
    ]);
  });

  it('finds a missing public port and a public port mapped past the configured listener', () => {
    const manifests = renderedFixture((edit) => {
      edit('Service', 'smtp-ingress', (s) => (s.spec.ports = s.spec.ports.filter((p: { port: number }) => p.port !== 587)));
      edit('Deployment', 'pop3-server', (d) => d.spec.template.spec.containers[0].env.push({ name: 'POP3_PORT', value: '1995' }));
    });
    expect(serviceProblems(manifests)).toEqual(['no LoadBalancer Service exposes smtp-ingress on port 587 (submission)', 'pop3-server: port 110 reaches container port 1110, but POP3_PORT is 1995']);
  });

  it('finds a single-stack Service, POP3S exposed while its listener is off, and POP3S on but not exposed', () => {
    const singleStack = renderedFixture((edit) => edit('Service', 'spam-filter-ops', (s) => delete s.spec.ipFamilyPolicy));
    expect(serviceProblems(singleStack)).toEqual([expect.stringMatching(/^Service spam-filter-ops: ipFamilyPolicy should be PreferDualStack/)]);
    const exposedButOff = renderedFixture((edit, objects) => {
      for (const configMap of objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mail-config'))) delete (configMap as Editable).data.POP3S_PORT;
    });
    expect(serviceProblems(exposedButOff)).toEqual(['pop3-server: port 995 is exposed, but POP3S_PORT is not set (the POP3S listener is off)']);
    const onButHidden = renderedFixture((edit) => edit('Service', 'pop3-server', (s) => (s.spec.ports = s.spec.ports.filter((p: { port: number }) => p.port !== 995))));
    expect(serviceProblems(onButHidden)).toEqual(['no LoadBalancer Service exposes pop3-server on port 995 (POP3S)']);
  });

  it('finds IMAPS (993) exposed while IMAPS_PORT is unset, on but not exposed, and exposed on another container port', () => {
    const exposedButOff = renderedFixture((edit, objects) => {
      for (const configMap of objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mail-config'))) delete (configMap as Editable).data.IMAPS_PORT;
    });
    expect(serviceProblems(exposedButOff)).toEqual(['imap-server: port 993 is exposed, but IMAPS_PORT is not set (the IMAPS listener is off)']);
    const onButHidden = renderedFixture((edit) => edit('Service', 'imap-server', (s) => (s.spec.ports = s.spec.ports.filter((p: { port: number }) => p.port !== 993))));
    expect(serviceProblems(onButHidden)).toEqual(['no LoadBalancer Service exposes imap-server on port 993 (IMAPS)']);
    const elsewhere = renderedFixture((edit) => edit('Deployment', 'imap-server', (d) => d.spec.template.spec.containers[0].env.push({ name: 'IMAPS_PORT', value: '3993' })));
    expect(serviceProblems(elsewhere)).toEqual(['imap-server: port 993 reaches container port 1993, but IMAPS_PORT is 3993']);
  });

  it('finds submissions (465) exposed while SUBMISSIONS_PORT is unset, on but not exposed, and exposed on another container port', () => {
    const exposedButOff = renderedFixture((edit, objects) => {
      for (const configMap of objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mail-config'))) delete (configMap as Editable).data.SUBMISSIONS_PORT;
    });
    expect(serviceProblems(exposedButOff)).toEqual(['smtp-ingress: port 465 is exposed, but SUBMISSIONS_PORT is not set (the submissions listener is off)']);
    const onButHidden = renderedFixture((edit) => edit('Service', 'smtp-ingress', (s) => (s.spec.ports = s.spec.ports.filter((p: { port: number }) => p.port !== 465))));
    expect(serviceProblems(onButHidden)).toEqual(['no LoadBalancer Service exposes smtp-ingress on port 465 (submissions)']);
    const elsewhere = renderedFixture((edit) => edit('Deployment', 'smtp-ingress', (d) => d.spec.template.spec.containers[0].env.push({ name: 'SUBMISSIONS_PORT', value: '3465' })));
    expect(serviceProblems(elsewhere)).toEqual(['smtp-ingress: port 465 reaches container port 2465, but SUBMISSIONS_PORT is 3465']);
  });
});

describe('migrationJobProblems', () => {
  it('finds a Job not named after the release, on another image, without migrate', () => {
    const manifests = renderedFixture((edit) =>
      edit('Job', 'mailbox-store-migrate', (j) => {
        j.metadata.name = 'mailbox-store-migrate-0-0-9';
        j.spec.template.spec.containers[0].image = 'mail/mailbox-store:0.0.9';
        j.spec.template.spec.containers[0].args = [];
      }),
    );
    expect(migrationJobProblems(manifests)).toEqual([
      'the migration Job runs mail/mailbox-store:0.0.9, mailbox-store runs mail/mailbox-store:0.1.0',
      'the migration Job should run with args ["migrate"], has []',
    ]);
    const renamed = renderedFixture((edit) => edit('Job', 'mailbox-store-migrate', (j) => (j.metadata.name = 'mailbox-store-migrate')));
    expect(migrationJobProblems(renamed)).toEqual([expect.stringMatching(/named mailbox-store-migrate but the release \(image tag\) is 0\.1\.0: set nameSuffix: -0-1-0/)]);
  });

  it('finds a missing Job', () => {
    const manifests = renderedFixture((_edit, objects) =>
      objects.splice(
        objects.findIndex((o) => o.kind === 'Job'),
        1,
      ),
    );
    expect(migrationJobProblems(manifests)).toEqual([expect.stringMatching(/found 0/)]);
  });

  it('names releases in DNS-safe form', () => {
    expect(releaseSuffix('1.2.3-rc.1')).toBe('-1-2-3-rc-1');
  });
});

describe('monitoringProblems', () => {
  it('finds services nobody scrapes', () => {
    const manifests = renderedFixture((edit) => edit('ServiceMonitor', 'mail-platform', (m) => (m.spec.endpoints[0].port = 'metrics')));
    expect(monitoringProblems(manifests)).toHaveLength(6);
  });
});

describe('referenceProblems', () => {
  it('finds a ConfigMap that is not rendered and a key its Secret lacks', () => {
    const manifests = renderedFixture((edit, objects) => {
      edit('Deployment', 'spam-filter', (d) => (d.spec.template.spec.containers[0].envFrom[0].configMapRef.name = 'mail-config'));
      objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mail-secrets', namespace: 'mail' }, stringData: { DATABASE_URL: 'postgres://x' } });
    });
    expect(referenceProblems(manifests, externalSecrets)).toEqual([
      'imap-server needs key REDIS_URL of Secret mail-secrets, which lacks it',
      'outbound-relay needs key REDIS_URL of Secret mail-secrets, which lacks it',
      'pop3-server needs key REDIS_URL of Secret mail-secrets, which lacks it',
      'smtp-ingress needs key REDIS_URL of Secret mail-secrets, which lacks it',
      'spam-filter refers to ConfigMap mail-config, which is neither rendered nor created by the operator',
      'spam-filter needs key REDIS_URL of Secret mail-secrets, which lacks it',
    ]);
  });
});
