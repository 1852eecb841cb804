/** A description of the machine the bench ran on, for the results. */
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export async function describeMachine(): Promise<Record<string, string>> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  return {
    cpus: `${availableParallelism()} (nproc)`,
    'cpu model': model,
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    kernel: release(),
    node: process.version,
    'load average at start': loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}
