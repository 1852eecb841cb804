/**
 * CPU profiles of the services. Node 20 refuses --cpu-prof in NODE_OPTIONS,
 * and the services are started by @mail/testing, so the bench writes a tiny
 * preload module that starts the V8 profiler through node:inspector and
 * writes `<app>-<pid>.cpuprofile` (open in Chrome DevTools or speedscope)
 * when the process exits, and passes it with NODE_OPTIONS=--import.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const hookSource = (dir: string) => `// written by tools/bench (--cpu-prof)
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
const app = (/apps\\/([^/]+)\\//.exec(process.argv[1] ?? '') ?? [])[1] ?? 'node';
let written = false;
process.on('exit', () => {
  if (written) return;
  written = true;
  // an in-thread inspector session answers synchronously, so this works inside 'exit'
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(${JSON.stringify(dir)} + '/' + app + '-' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
  });
});
`;

/** Writes the hook into `dir` and returns the NODE_OPTIONS that load it. */
export async function cpuProfileNodeOptions(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const hook = join(dir, 'cpu-profile-hook.mjs');
  await writeFile(hook, hookSource(dir));
  return `${process.env['NODE_OPTIONS'] ?? ''} --import ${pathToFileURL(hook).href}`.trim();
}
