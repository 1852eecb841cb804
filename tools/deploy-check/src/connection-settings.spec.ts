import { describe, expect, it } from 'vitest';
import { connectionSettingProblems, neededConnectionSettings } from './connection-settings';
import { RenderedManifests } from './rendered-manifests';
import type { K8sObject } from './manifest-stream';

function deployment(name: string, container: Record<string, unknown>): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ...container }] } } },
  } as unknown as K8sObject;
}

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mail-config' }, data: { NATS_URL: 'nats://nats:4222' } } as unknown as K8sObject;

describe('neededConnectionSettings', () => {
  it('reads from the sources that the Redis users need REDIS_URL and mailbox-store DATABASE_URL', () => {
    const needs = neededConnectionSettings();
    expect(needs.get('smtp-ingress')).toEqual(['NATS_URL', 'REDIS_URL']);
    expect(needs.get('outbound-relay')).toContain('REDIS_URL');
    expect(needs.get('mailbox-store')).toEqual(['NATS_URL', 'DATABASE_URL']);
  });
});

describe('connectionSettingProblems', () => {
  const needs = new Map([['smtp-ingress', ['NATS_URL', 'REDIS_URL'] as const]]);

  it('names a missing setting', () => {
    const manifests = new RenderedManifests([configMap, deployment('smtp-ingress', { envFrom: [{ configMapRef: { name: 'mail-config' } }] })]);
    expect(connectionSettingProblems(manifests, needs)).toEqual(['smtp-ingress: REDIS_URL is not set; the service would use its development default']);
  });

  it('accepts a setting from a ConfigMap, a secretKeyRef or a rendered Secret', () => {
    const fromRef = deployment('smtp-ingress', {
      envFrom: [{ configMapRef: { name: 'mail-config' } }],
      env: [{ name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'mail-secrets', key: 'REDIS_URL' } } }],
    });
    expect(connectionSettingProblems(new RenderedManifests([configMap, fromRef]), needs)).toEqual([]);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { REDIS_URL: 'redis://r' } } as unknown as K8sObject;
    const fromSecret = deployment('smtp-ingress', { envFrom: [{ configMapRef: { name: 'mail-config' } }, { secretRef: { name: 's' } }] });
    expect(connectionSettingProblems(new RenderedManifests([configMap, secret, fromSecret]), needs)).toEqual([]);
  });
});
