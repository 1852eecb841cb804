/**
 * Makes sure NATS, PostgreSQL and Redis are there: each configured server
 * that answers is used as it is; the others are started from local binaries
 * into .data/. Missing binaries are reported all at once, with the Debian
 * packages that provide them, before anything is started.
 */
import { relative } from 'node:path';
import { LaunchError } from '../launch-error';
import type { ProcessGroup } from '../process-group';
import { redactUrl } from '../redact-url';
import type { Terminal } from '../terminal';
import { workspaceRoot } from '@mail/launcher';
import type { InfrastructureKind, Launch } from './infrastructure';
import { nats } from './nats';
import { postgres } from './postgres';
import { redis } from './redis';

/** Where one piece of infrastructure is, and whether the launcher started it. */
export interface Endpoint {
  readonly kind: InfrastructureKind;
  readonly url: string;
  readonly started: boolean;
}

export interface InfrastructureEndpoints {
  readonly nats: Endpoint;
  readonly postgres: Endpoint;
  readonly redis: Endpoint;
}

const kinds = [nats, postgres, redis] as const;

/** The URL from the environment, or the default when unset or blank. */
export function configuredUrl(kind: Pick<InfrastructureKind, 'envVar' | 'defaultUrl'>, env: NodeJS.ProcessEnv): string {
  const value = env[kind.envVar]?.trim();
  return value === undefined || value === '' ? kind.defaultUrl : value;
}

/** Probes every server and starts those that do not answer. */
export async function provideInfrastructure(env: NodeJS.ProcessEnv, group: ProcessGroup, terminal: Terminal): Promise<InfrastructureEndpoints> {
  const checks = await Promise.all(
    kinds.map(async (kind) => {
      const url = configuredUrl(kind, env);
      return { kind, url, result: await kind.probe(url) };
    }),
  );

  const toStart: { kind: InfrastructureKind; url: string; launch: Launch | undefined }[] = [];
  const endpoints = new Map<string, Endpoint>();
  for (const { kind, url, result } of checks) {
    const label = `${kind.title} at ${redactUrl(url)}`;
    if (result.ok) {
      terminal.info(`${label} answers${result.note ? ` (${result.note})` : ''}, using it`);
      endpoints.set(kind.key, { kind, url, started: false });
    } else {
      terminal.info(`${label}: ${result.reason}; starting a local one in ${relative(workspaceRoot, kind.dataDir)}`);
      toStart.push({ kind, url, launch: kind.locate(env) });
    }
  }

  const missing = toStart.filter((entry) => entry.launch === undefined).map((entry) => entry.kind);
  if (missing.length > 0) throw missingBinaries(missing);

  // One after the other, so two servers never pick the same free port.
  for (const { kind, url: configured, launch } of toStart) {
    if (!launch) continue;
    const url = await launch({ group, terminal, configuredUrl: configured });
    terminal.info(`${kind.title} started at ${url}`);
    endpoints.set(kind.key, { kind, url, started: true });
  }

  const endpoint = (kind: InfrastructureKind): Endpoint => {
    const found = endpoints.get(kind.key);
    if (!found) throw new Error(`no endpoint for ${kind.title}`);
    return found;
  };
  return { nats: endpoint(nats), postgres: endpoint(postgres), redis: endpoint(redis) };
}

/** The message for servers that neither answer nor can be started. */
export function missingBinaries(missing: readonly InfrastructureKind[]): LaunchError {
  const titles = missing.map((kind) => kind.title).join(', ');
  const packages = missing.map((kind) => kind.debianPackage).join(' ');
  const variables = missing.map((kind) => kind.envVar).join(', ');
  return new LaunchError(`${titles} not running and not installed.\n` + `Install with:  sudo apt-get install ${packages}\n` + `or set ${variables} to a server that is running.`);
}
