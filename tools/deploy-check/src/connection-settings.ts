/**
 * Every workload is told where the engines it talks to are. A service whose
 * setting is missing falls back to its development default (127.0.0.1) and,
 * for Redis, silently loses what lives there: shared connection and AUTH
 * limits, locks, schedules. Which service needs which setting is read from
 * the sources, so a service that starts using Redis is checked from then on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { mainContainer, type RenderedManifests } from './rendered-manifests';
import { services, workspaceRoot } from './workspace';

/** The settings naming the engines: NATS for every service, Redis and PostgreSQL for those that use them. */
export type ConnectionSetting = 'NATS_URL' | 'REDIS_URL' | 'DATABASE_URL';

function sourcesOf(app: string): string {
  const root = join(workspaceRoot, 'apps', app, 'src');
  const texts: string[] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) texts.push(readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  }
  return texts.join('\n');
}

/** The settings each service's sources show it needs. */
export function neededConnectionSettings(): Map<string, ConnectionSetting[]> {
  const needs = new Map<string, ConnectionSetting[]>();
  for (const service of services) {
    const source = sourcesOf(service);
    const settings: ConnectionSetting[] = ['NATS_URL'];
    if (/from 'ioredis'/.test(source)) settings.push('REDIS_URL');
    if (source.includes("'DATABASE_URL'")) settings.push('DATABASE_URL');
    needs.set(service, settings);
  }
  return needs;
}

/** Names a container gets: literal or referenced env entries, its ConfigMaps' keys, its rendered Secrets' keys. */
function providedNames(manifests: RenderedManifests, container: IContainer): Set<string> {
  const names = new Set(manifests.environment(container).keys());
  for (const variable of container.env ?? []) names.add(variable.name);
  for (const source of container.envFrom ?? []) {
    const secret = source.secretRef?.name ? manifests.find<ISecret>('Secret', source.secretRef.name) : undefined;
    for (const key of Object.keys({ ...secret?.data, ...secret?.stringData })) names.add(`${source.prefix ?? ''}${key}`);
  }
  return names;
}

/** One line per Deployment whose main container lacks a connection setting its service needs. */
export function connectionSettingProblems(manifests: RenderedManifests, needs: ReadonlyMap<string, readonly ConnectionSetting[]>): string[] {
  const problems: string[] = [];
  for (const workload of manifests.workloads()) {
    const needed = needs.get(workload.name);
    const container = mainContainer(workload);
    if (!needed || !container) continue;
    const provided = providedNames(manifests, container);
    for (const setting of needed) if (!provided.has(setting)) problems.push(`${workload.name}: ${setting} is not set; the service would use its development default`);
  }
  return problems;
}
