/**
 * Which process listens on a TCP port, from /proc alone (proc(5)):
 * /proc/net/tcp and tcp6 give the socket inode of each listening socket,
 * and /proc/<pid>/fd/* link to `socket:[inode]` in the process holding it.
 * The bench uses it to find the shared NATS, PostgreSQL and Redis servers
 * its stack talks to, without guessing from process names (another
 * engineer's private nats-server or redis-server may be running too).
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** TCP state 0A is LISTEN (include/net/tcp_states.h). */
const listenState = '0A';

/**
 * Inodes of the sockets listening on `port` in a /proc/net/tcp or tcp6
 * text. Each line after the header: `sl local_address rem_address st ...
 * uid timeout inode`, the local address as hex `IP:PORT`.
 */
export function listeningInodes(procNetTcp: string, port: number): number[] {
  const inodes: number[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== listenState) continue;
    if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
    const inode = Number(fields[9]);
    if (Number.isInteger(inode) && inode > 0) inodes.push(inode);
  }
  return inodes;
}

/** The pids holding a socket listening on TCP `port` (any local address): a forking server's children may hold it too. */
export async function findListeningPids(port: number): Promise<number[]> {
  const tables = await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((path) => readFile(path, 'utf8').catch(() => '')));
  const wanted = new Set(tables.flatMap((table) => listeningInodes(table, port)).map((inode) => `socket:[${inode}]`));
  if (wanted.size === 0) return [];
  const holders: number[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      if (!wanted.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) continue;
      holders.push(Number(pid));
      break;
    }
  }
  return holders;
}
