import { describe, expect, it } from 'vitest';
import { allowedFlows, networkPolicyProblems, relayPort, selectorMatches } from './network-policies';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { renderedFixture, type Editable } from './testdata';

describe('selectorMatches', () => {
  it('reads matchLabels and matchExpressions, an empty selector picking every pod', () => {
    expect(selectorMatches({}, { a: '1' })).toBe(true);
    expect(selectorMatches({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }, { a: '2' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, {})).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {})).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, {})).toBe(true);
  });
});

describe('allowedFlows', () => {
  it('lists the union of the rules of the policies that select a pod, named ports resolved', () => {
    const policies: INetworkPolicy[] = [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'smtp' }] }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 25 }] }] } },
    ];
    const container = { name: 'a', ports: [{ name: 'smtp', containerPort: 2525 }] };
    expect(allowedFlows(policies, { app: 'a' }, container)).toEqual({ isolated: new Set(['Ingress', 'Egress']), flows: ['ingress TCP/smtp=2525 from anywhere'] });
  });
});

describe('networkPolicyProblems on the rendered production overlay', () => {
  it('finds nothing wrong', () => {
    expect(networkPolicyProblems(renderedFixture())).toEqual([]);
  });

  it('finds a missing default deny', () => {
    const manifests = renderedFixture((_edit, objects) =>
      objects.splice(
        objects.findIndex((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny'),
        1,
      ),
    );
    expect(networkPolicyProblems(manifests)).toEqual(['no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress and Egress, no rules)']);
  });

  it('finds PostgreSQL open to a service other than the schema owner, and the relay without port 25', () => {
    const manifests = renderedFixture((edit) => {
      edit('NetworkPolicy', 'postgresql', (p) => (p.spec.podSelector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['mailbox-store', 'spam-filter'] }] }));
      edit('NetworkPolicy', 'outbound-relay', (p) => (p.spec.egress[0].ports[0].port = 587));
    });
    expect(networkPolicyProblems(manifests)).toEqual([
      'outbound-relay: NetworkPolicies allow egress TCP/587 to anywhere, which it does not need',
      'outbound-relay: no NetworkPolicy allows egress TCP/25 to anywhere',
      'spam-filter: NetworkPolicies allow egress TCP/5432 to anywhere, which it does not need',
    ]);
  });

  it('finds a listener that clients cannot reach and NATS open beyond its namespace', () => {
    const manifests = renderedFixture((edit) => {
      edit('NetworkPolicy', 'pop3-server', (p) => (p.spec.ingress[0].ports = p.spec.ingress[0].ports.filter((port: Editable) => port.port !== 'pop3s')));
      edit('NetworkPolicy', 'smtp-ingress', (p) => (p.spec.ingress[0].ports = p.spec.ingress[0].ports.filter((port: Editable) => port.port !== 'submissions')));
      edit('NetworkPolicy', 'imap-server', (p) => (p.spec.ingress[0].ports = p.spec.ingress[0].ports.filter((port: Editable) => port.port !== 'imaps')));
      edit('NetworkPolicy', 'nats', (p) => delete p.spec.egress[0].to);
    });
    const problems = networkPolicyProblems(manifests);
    expect(problems).toContain('pop3-server: no NetworkPolicy allows ingress TCP/pop3s=1995 from anywhere');
    expect(problems).toContain('imap-server: no NetworkPolicy allows ingress TCP/imaps=1993 from anywhere');
    expect(problems).toContain('smtp-ingress: no NetworkPolicy allows ingress TCP/submissions=2465 from anywhere');
    expect(problems).toContain('smtp-ingress: NetworkPolicies allow egress TCP/4222 to anywhere, which it does not need');
    expect(problems).toContain('mailbox-store-migrate-0-1-0: no NetworkPolicy allows egress TCP/4222 to namespace nats');
  });
});

describe('relayPort', () => {
  it('is 25 without a smarthost, else the smarthost port: given, 587 by default, 465 for implicit TLS', () => {
    expect(relayPort(new Map())).toBe(25);
    expect(relayPort(new Map([['OUTBOUND_RELAY_HOST', '[smtp.example.net]:2525']]))).toBe(2525);
    expect(relayPort(new Map([['OUTBOUND_RELAY_HOST', 'example.net']]))).toBe(587);
    expect(relayPort(new Map([['OUTBOUND_RELAY_HOST', '[2001:db8::1]']]))).toBe(587);
    expect(relayPort(new Map([['OUTBOUND_RELAY_HOST', '[2001:db8::1]:465']]))).toBe(465);
    expect(
      relayPort(
        new Map([
          ['OUTBOUND_RELAY_HOST', 'smtp.example.net'],
          ['OUTBOUND_RELAY_TLS', 'implicit'],
        ]),
      ),
    ).toBe(465);
  });

  it('expects the smarthost port once a smarthost is set (25, 465 and 587 tolerated: components/smarthost opens them all)', () => {
    const manifests = renderedFixture((_edit, objects) => {
      for (const configMap of objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mail-config'))) (configMap as Editable).data.OUTBOUND_RELAY_HOST = '[smtp.example.net]:587';
    });
    expect(networkPolicyProblems(manifests)).toEqual(['outbound-relay: no NetworkPolicy allows egress TCP/587 to anywhere']);
  });
});
