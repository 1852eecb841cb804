import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceCatalog } from '@mail/service-catalog';
import { connectionSettingProblems, neededConnectionSettings } from './connection-settings';
import { RenderedManifests } from './rendered-manifests';
import { workspaceRoot } from './workspace';
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

/** Production sources of an app, as one text. */
function sourcesOf(app: string): string {
  const root = join(workspaceRoot, 'apps', app, 'src');
  const texts: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) texts.push(readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  }
  return texts.join('\n');
}

describe('neededConnectionSettings', () => {
  it('asks REDIS_URL of the Redis users and DATABASE_URL of mailbox-store, as the catalog lists them', () => {
    const needs = neededConnectionSettings();
    expect(needs.get('smtp-ingress')).toEqual(['NATS_URL', 'REDIS_URL']);
    expect(needs.get('outbound-relay')).toContain('REDIS_URL');
    expect(needs.get('mailbox-store')).toEqual(['NATS_URL', 'DATABASE_URL']);
  });

  it('matches what the sources use: a service that starts using Redis or PostgreSQL must say so in the catalog', () => {
    for (const service of serviceCatalog) {
      const source = sourcesOf(service.name);
      // ioredis imported, or the skeleton's client taken (ctx.redis(), handed to a library such as @mail/login-limits)
      expect({ service: service.name, redis: /from 'ioredis'|\bredis\(\)/.test(source) }).toEqual({ service: service.name, redis: service.infrastructure.redis !== undefined });
      expect({ service: service.name, postgres: source.includes("'DATABASE_URL'") }).toEqual({ service: service.name, postgres: service.infrastructure.postgres !== undefined });
    }
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
