/**
 * Where the services' programs are: the workspace root (found from this
 * file, so a launcher works from any directory) and the build of each
 * service (@mail/service-catalog's dist entry, `nx run <name>:build`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogService, nodeRuntime, type ServiceName } from '@mail/service-catalog';

/** Absolute path of the monorepo root, with a trailing slash. */
export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A service's build is missing: nothing can start it. */
export class MissingBuildError extends Error {
  override name = 'MissingBuildError';
}

/**
 * `node` arguments that run a service's build, with the image's flags
 * (@mail/service-catalog's nodeRuntime): `preload` modules go to --import first (test-only
 * hooks), `args` after the entry (`migrate`).
 */
export function serviceArguments(name: ServiceName, options: { readonly preload?: readonly string[]; readonly args?: readonly string[] } = {}): string[] {
  const entry = catalogService(name).entry.dist;
  if (!existsSync(join(workspaceRoot, entry))) {
    throw new MissingBuildError(`${entry} is missing: build it with \`npx nx run ${name}:build\` (npm start, npm test and the tools build every app first)`);
  }
  return [...nodeRuntime.flags, ...(options.preload ?? []).flatMap((module) => ['--import', module]), entry, ...(options.args ?? [])];
}
