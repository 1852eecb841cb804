import { describe, expect, it } from 'vitest';
import { basePortabilityProblems, consumerKustomization } from './base-portability';
import type { K8sObject } from './manifest-stream';

const object = (apiVersion: string, kind: string, namespace?: string): K8sObject => ({ apiVersion, kind, metadata: { name: 'x', ...(namespace ? { namespace } : {}) } });

describe('basePortabilityProblems', () => {
  it('accepts built-in kinds without a namespace', () => {
    expect(basePortabilityProblems([object('v1', 'Service'), object('apps/v1', 'Deployment'), object('networking.k8s.io/v1', 'NetworkPolicy')])).toEqual([]);
  });

  it('finds a Namespace, a namespaced object and a custom resource', () => {
    expect(basePortabilityProblems([object('v1', 'Namespace'), object('v1', 'ConfigMap', 'mail'), object('monitoring.coreos.com/v1', 'ServiceMonitor')])).toEqual([
      'the base renders Namespace x: leave it to the overlay (deploy/kubernetes/namespace)',
      'ConfigMap/mail/x: the base sets a namespace',
      'ServiceMonitor/x: monitoring.coreos.com/v1 is a custom resource; put it in an optional component',
    ]);
  });
});

describe('consumerKustomization', () => {
  it('pins the base and sets the namespace', () => {
    expect(consumerKustomization('https://github.com/example/mail//deploy/kubernetes/base?ref=v0.1.0', 'mail')).toContain(
      'namespace: mail\nresources:\n  - https://github.com/example/mail//deploy/kubernetes/base?ref=v0.1.0\n',
    );
  });
});
