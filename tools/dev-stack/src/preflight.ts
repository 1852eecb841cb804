/**
 * Checks made before anything is started, so the common failures get a
 * clear sentence instead of a stack trace: a service that has no build, and
 * a port that is already taken (usually by another `npm start`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { listenerPort, workspaceRoot } from '@mail/launcher';
import { serviceCatalog } from '@mail/service-catalog';
import { LaunchError } from './launch-error';
import { isPortFree } from './ports';

/** A port a service will listen on, and who needs it. */
export interface PortClaim {
  port: number;
  owner: string;
}

/** How the checks look at the world; the real file system and sockets unless a test says otherwise. */
export interface PreflightProbes {
  /** Whether a path relative to the workspace exists. */
  exists(path: string): boolean;
  isFree(port: number): Promise<boolean>;
}

const realProbes: PreflightProbes = {
  exists: (path) => existsSync(join(workspaceRoot, path)),
  isFree: (port) => isPortFree(port),
};

/** Built entry points (relative to the workspace) of services that are not there. */
export function missingServiceEntries(exists: PreflightProbes['exists'] = realProbes.exists): string[] {
  return serviceCatalog.map((service) => service.entry.dist).filter((entry) => !exists(entry));
}

/** Every port the services will listen on: each mail listener that is on, then each ops endpoint. */
export function portClaims(env: NodeJS.ProcessEnv): PortClaim[] {
  const listening = serviceCatalog.flatMap((service) =>
    service.listeners.flatMap((listener) => {
      const port = listenerPort(listener, env);
      return port === undefined ? [] : [{ port, owner: `${service.name} ${listener.label} (${listener.portVariable})` }];
    }),
  );
  return [...listening, ...serviceCatalog.map((service) => ({ port: service.opsPort, owner: `${service.name} ops endpoint` }))];
}

/** Throws a LaunchError naming what is missing or taken. */
export async function preflight(env: NodeJS.ProcessEnv, probes: PreflightProbes = realProbes): Promise<void> {
  const missing = missingServiceEntries(probes.exists);
  if (missing.length > 0) {
    throw new LaunchError(
      `Cannot start the stack: ${missing.length === 1 ? 'this service has' : 'these services have'} no build:\n` +
        missing.map((entry) => `  ${entry}`).join('\n') +
        '\n(npm start builds them first with `nx run-many -t build` and runs each with node dist/apps/<name>/main.mjs; ' +
        '`npm start -- --infra-only` starts just NATS, PostgreSQL and Redis.)',
    );
  }
  const claims = portClaims(env);
  const taken: PortClaim[] = [];
  for (const claim of claims) if (!(await probes.isFree(claim.port))) taken.push(claim);
  if (taken.length > 0) {
    throw new LaunchError(
      'Cannot start the stack: ports already in use (is another `npm start` still running?):\n' +
        taken.map((claim) => `  ${claim.port}  ${claim.owner}`).join('\n') +
        `\nSee who holds them with: ss -ltnp | grep -E ':(${taken.map((claim) => claim.port).join('|')})\\b'`,
    );
  }
}
