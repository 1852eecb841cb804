import type { IContainer } from 'kubernetes-models/v1/Container';
import { describe, expect, it } from 'vitest';
import { imageTag, selects } from './rendered-manifests';
import { renderedFixture } from './testdata';

describe('RenderedManifests', () => {
  it('merges the ConfigMap of envFrom with literal env values', () => {
    const manifests = renderedFixture();
    const container: IContainer = { name: 'x', envFrom: [{ configMapRef: { name: manifests.ofKind('ConfigMap')[0]?.metadata.name } }], env: [{ name: 'HTTP_PORT', value: '1234' }] };
    const env = manifests.environment(container);
    expect(env.get('NATS_STREAM_REPLICAS')).toBe('3');
    expect(env.get('HTTP_PORT')).toBe('1234');
  });

  it('finds the Deployments a selector picks', () => {
    const manifests = renderedFixture();
    expect(manifests.selectedDeployments({ 'app.kubernetes.io/name': 'pop3-server' }).map((d) => d.metadata?.name)).toEqual(['pop3-server']);
    expect(manifests.selectedDeployments({})).toEqual([]);
    expect(selects({ a: '1' }, { a: '1', b: '2' })).toBe(true);
  });
});

describe('imageTag', () => {
  it('reads the tag after the last path segment', () => {
    expect(imageTag('registry.example.com:5000/mail/smtp-ingress:1.2.3')).toBe('1.2.3');
    expect(imageTag('mail/smtp-ingress')).toBeUndefined();
    expect(imageTag('mail/smtp-ingress@sha256:abc')).toBeUndefined();
  });
});
