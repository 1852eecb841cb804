import { describe, expect, it } from 'vitest';
import { migrationHookProblems, syncPoint } from './migration-hook';
import { renderedFixture, type Editable } from './testdata';

const cluster = (annotations: Record<string, string>) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'mail-db', namespace: 'mail', annotations }, spec: {} });

describe('syncPoint', () => {
  it('orders PreSync before Sync, then by wave; plain objects are Sync wave 0', () => {
    expect(syncPoint({ metadata: { name: 'x' } })).toEqual({ phase: 1, wave: 0 });
    expect(syncPoint({ metadata: { name: 'x', annotations: { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-1' } } })).toEqual({ phase: 0, wave: -1 });
  });
});

describe('migrationHookProblems', () => {
  it('accepts the production Job: a PreSync hook that needs only the Secret created before any sync', () => {
    expect(migrationHookProblems(renderedFixture())).toEqual([]);
  });

  it('finds a PreSync Job that reads the generated ConfigMap (missing on a first sync and after a config change)', () => {
    const configMap = renderedFixture()
      .ofKind('ConfigMap')
      .find((c) => c.metadata.name.startsWith('mail-config'));
    const withName = renderedFixture((edit) => edit('Job', 'mailbox-store-migrate', (j) => (j.spec.template.spec.containers[0].envFrom = [{ configMapRef: { name: configMap?.metadata.name } }])));
    expect(migrationHookProblems(withName)).toEqual([
      expect.stringMatching(/^mailbox-store-migrate-0-1-0 \(PreSync wave 0\) refers to ConfigMap mail-config-\S+, which Argo CD creates later \(Sync wave 0\)/),
    ]);
  });

  it("finds a PreSync Job that needs the CloudNativePG Secret, and accepts it as a Sync hook after the Cluster's wave", () => {
    const useOperatorSecret = (j: Editable) => (j.spec.template.spec.containers[0].env = [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'mail-db-app', key: 'uri' } } }]);
    const stuck = renderedFixture((edit, objects) => {
      objects.push(cluster({}));
      edit('Job', 'mailbox-store-migrate', useOperatorSecret);
    });
    expect(migrationHookProblems(stuck)).toEqual([expect.stringMatching(/refers to Secret mail-db-app \(made by Cluster mail-db\), which Argo CD creates later \(Sync wave 0\)/)]);
    const ordered = renderedFixture((edit, objects) => {
      objects.push(cluster({ 'argocd.argoproj.io/sync-wave': '-1' }));
      edit('Job', 'mailbox-store-migrate', (j) => {
        useOperatorSecret(j);
        j.metadata.annotations['argocd.argoproj.io/hook'] = 'Sync';
        j.metadata.annotations['argocd.argoproj.io/sync-wave'] = '1';
      });
    });
    expect(migrationHookProblems(ordered)).toEqual([]);
  });
});
