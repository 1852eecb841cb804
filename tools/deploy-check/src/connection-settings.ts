/**
 * Every workload is told where the engines it talks to are. A service whose
 * setting is missing falls back to its development default (127.0.0.1) and,
 * for Redis, silently loses what lives there: shared connection and AUTH
 * limits, locks, schedules. Which service needs which setting is read from
 * the infrastructure @mail/service-catalog lists for it; the runtime hands
 * a Redis client only to the services listed as using Redis, and the spec
 * checks the catalog against what the sources import.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { serviceCatalog } from '@mail/service-catalog';
import { mainContainer, type RenderedManifests } from './rendered-manifests';

/** The settings naming the engines: NATS for every service, Redis and PostgreSQL for those that use them. */
export type ConnectionSetting = 'NATS_URL' | 'REDIS_URL' | 'DATABASE_URL';

/** The settings each service needs, by the infrastructure the catalog lists for it. */
export function neededConnectionSettings(): Map<string, ConnectionSetting[]> {
  const needs = new Map<string, ConnectionSetting[]>();
  for (const service of serviceCatalog) {
    const settings: ConnectionSetting[] = ['NATS_URL'];
    if (service.infrastructure.redis !== undefined) settings.push('REDIS_URL');
    if (service.infrastructure.postgres !== undefined) settings.push('DATABASE_URL');
    needs.set(service.name, settings);
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
