/**
 * One memory-reducing garbage collection once a service has started.
 *
 * Start-up leaves garbage behind (the top-level work of some 560 modules,
 * configuration parsing, connection handshakes) and a young generation that
 * V8 grew to its maximum while start-up objects survived (2 × 32 MiB
 * semi-spaces on a machine with 24 GiB and no memory limit). V8's memory
 * reducer gives such memory back only once it notices the process idling,
 * a minute or more later, or not at all in a process that idles from its
 * start; meanwhile the idle service held about 20 MiB it did not use
 * (bench idle scenario, RSS 3 s after start: 100-104 -> 81-83 MiB).
 * Collected once, before the service reports ready (`startupGcMs` in its
 * "started" log line): a pause of 50-80 ms on the loaded 2-core development
 * machine, while no client waits on it.
 *
 * V8 offers this collection (the one it makes before giving up on an
 * allocation) only as the `gc` function of --expose-gc. The flag is set
 * here, and only a fresh context gets the function, rather than on every
 * command line that starts a service (launcher, image, manifests); the
 * service's own global scope gets no `gc`.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GarbageCollection = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/** Collects everything unreachable, compacts and shrinks the heap; resolves how long it took, in milliseconds. */
export function collectStartupGarbage(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as GarbageCollection;
  const started = performance.now();
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return performance.now() - started;
}
