/**
 * CPU time of processes from /proc/<pid>/stat (Linux, proc(5)): utime and
 * stime are the process's own user and system time (all its threads, so a
 * Node service's worker threads count), cutime and cstime the time of the
 * children it has waited for. All four are in clock ticks (`getconf
 * CLK_TCK`, 100 on Linux).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

export interface ProcessStat {
  readonly pid: number;
  readonly ppid: number;
  /** The command name (comm), at most 15 characters. */
  readonly command: string;
  /** utime + stime, clock ticks. */
  readonly ownTicks: number;
  /** cutime + cstime: children this process reaped, clock ticks. */
  readonly reapedChildrenTicks: number;
}

/**
 * Parses one /proc/<pid>/stat line. The command name is in parentheses and
 * may hold spaces or ')' itself, so fields are counted from the last ')':
 * field 3 (state) comes right after it, then ppid (4), utime (14), stime
 * (15), cutime (16), cstime (17).
 */
export function parseProcStat(text: string): ProcessStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new TypeError(`not a /proc/<pid>/stat line: ${JSON.stringify(text.slice(0, 80))}`);
  const fields = text
    .slice(close + 2)
    .trim()
    .split(' ');
  const field = (n: number): number => {
    const value = Number(fields[n - 3]);
    if (!Number.isInteger(value)) throw new TypeError(`/proc/<pid>/stat field ${n} is not a number: ${JSON.stringify(text.slice(0, 80))}`);
    return value;
  };
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: field(4),
    command: text.slice(open + 1, close),
    ownTicks: field(14) + field(15),
    reapedChildrenTicks: field(16) + field(17),
  };
}

/** Every process on the machine now, by pid (those that exit while being read are left out). */
export async function readAllProcessStats(): Promise<Map<number, ProcessStat>> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').then(parseProcStat, () => undefined)));
  return new Map(stats.flatMap((stat) => (stat ? [[stat.pid, stat] as const] : [])));
}

/** USER_HZ from `getconf CLK_TCK`; 100 (Linux's value on every common architecture) when getconf fails. */
export async function clockTicksPerSecond(): Promise<number> {
  const { stdout } = await promisify(execFile)('getconf', ['CLK_TCK']).catch(() => ({ stdout: '' }));
  const value = Number(stdout.trim());
  return Number.isInteger(value) && value > 0 ? value : 100;
}
