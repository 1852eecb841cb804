/**
 * A service of this workspace as a real child process for a test, through
 * @mail/launcher (from its build, ready once /readyz answers, stopped with
 * the test's signal), with the tests' defaults: info-level logs whatever
 * LOG_LEVEL the shell exports, since tests read those logs, and a current
 * build. `npm test` builds the apps before the integration suites (nx.json:
 * integration dependsOn); a suite run on its own rebuilds a stale build
 * first (app-builds.ts).
 */
import { startServiceProcess as launchServiceProcess, workspaceRoot, type ServiceProcess, type ServiceProcessOptions } from '@mail/launcher';
import type { ServiceName } from '@mail/service-catalog';
import { ensureCurrentBuilds } from './app-builds';

export async function startServiceProcess(app: ServiceName, env: Readonly<Record<string, string>>, options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  await ensureCurrentBuilds(workspaceRoot);
  return launchServiceProcess(app, { LOG_LEVEL: 'info', ...env }, options);
}
