/**
 * A service of this workspace as a real child process for a test, through
 * @mail/launcher (from its build, ready once /readyz answers, stopped with
 * the test's signal), with the tests' one default: info-level logs whatever
 * LOG_LEVEL the shell exports, since tests read those logs. `npm test`
 * builds the apps before the integration suites (nx.json: integration dependsOn).
 */
import { startServiceProcess as launchServiceProcess, type ServiceProcess, type ServiceProcessOptions } from '@mail/launcher';
import type { ServiceName } from '@mail/service-catalog';

export function startServiceProcess(app: ServiceName, env: Readonly<Record<string, string>>, options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  return launchServiceProcess(app, { LOG_LEVEL: 'info', ...env }, options);
}
