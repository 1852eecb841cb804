import { describe, expect, it } from 'vitest';
import { expectationProblems, overlayExpectations, startReplicas, type OverlayExpectations } from './overlay-expectations';
import { renderedFixture } from './testdata';

function expectationsOf(overlay: string): OverlayExpectations {
  const expected = overlayExpectations[overlay];
  if (!expected) throw new Error(`no expectations for ${overlay}`);
  return expected;
}

describe('expectationProblems', () => {
  it('finds the rendered production overlay true to the production promises', () => {
    expect(expectationProblems(renderedFixture(), expectationsOf('production'))).toEqual([]);
  });

  it('finds it far from the development promises', () => {
    expect(expectationProblems(renderedFixture(), expectationsOf('dev'))).toEqual([
      'NATS_STREAM_REPLICAS is 3, expected 1',
      'smtp-ingress starts with 2 pods, expected at most 1',
      'spam-filter starts with 2 pods, expected at most 1',
      'mailbox-store starts with 2 pods, expected at most 1',
      'pop3-server starts with 2 pods, expected at most 1',
      'outbound-relay starts with 2 pods, expected at most 1',
      'imap-server starts with 2 pods, expected at most 1',
      'TLS is configured, but this overlay has no certificate',
      'the example Secret mail-secrets is missing',
      ...['smtp-ingress', 'spam-filter', 'mailbox-store', 'pop3-server', 'outbound-relay', 'imap-server', 'mailctl'].map((party) => `the example Secret mail-nats-${party} is missing`),
    ]);
  });

  it('finds a single relay, single-replica streams, a loose budget, IMAP passwords without TLS and rendered credentials in production', () => {
    const manifests = renderedFixture((edit, objects) => {
      edit('HorizontalPodAutoscaler', 'outbound-relay', (h) => (h.spec.minReplicas = 1));
      edit('ConfigMap', 'mail-config', (c) => {
        c.data.NATS_STREAM_REPLICAS = '1';
        c.data.IMAP_ALLOW_PLAINTEXT_AUTH = 'true';
      });
      edit('PodDisruptionBudget', 'pop3-server', (p) => (p.spec = { maxUnavailable: 1, selector: p.spec.selector }));
      objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mail-secrets', namespace: 'mail' } });
      objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mail-nats-pop3-server', namespace: 'mail' } });
    });
    expect(expectationProblems(manifests, expectationsOf('production'))).toEqual([
      'NATS_STREAM_REPLICAS is 1, expected 3',
      'outbound-relay starts with 1 pod(s), expected at least 2',
      'PodDisruptionBudget pop3-server: expected minAvailable 1 (and no maxUnavailable)',
      'IMAP_ALLOW_PLAINTEXT_AUTH should not be true once TLS is configured',
      expect.stringMatching(/renders Secret mail-secrets: applying it would overwrite the real credentials/),
      'this overlay renders Secret mail-nats-pop3-server: applying it would overwrite the real NATS credentials',
    ]);
  });

  it('counts the autoscaler minimum before the replica count', () => {
    const manifests = renderedFixture((edit) => edit('HorizontalPodAutoscaler', 'smtp-ingress', (h) => (h.spec.minReplicas = 4)));
    expect(startReplicas(manifests, 'smtp-ingress')).toBe(4);
    expect(startReplicas(manifests, 'pop3-server')).toBe(2);
  });
});
