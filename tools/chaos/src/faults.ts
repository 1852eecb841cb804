/**
 * The faults of the matrix, one per phase: SIGKILL each service (and start
 * it again), then restart each piece of infrastructure — NATS by SIGKILL
 * (its JetStream store is on disk), PostgreSQL by an immediate shutdown
 * (SIGQUIT: no checkpoint, crash recovery at the next start) and Redis by
 * SIGKILL (with AOF persistence, as deployed: its keys come back).
 */
import { serviceNames, type ServiceName } from '@mail/service-catalog';
import type { Platform } from './platform';

export interface Fault {
  readonly name: string;
  /** Breaks the thing. */
  inject(platform: Platform): Promise<void>;
  /** Brings it back and waits until it is ready. */
  restore(platform: Platform): Promise<void>;
}

function killService(name: ServiceName): Fault {
  return {
    name: `SIGKILL ${name}`,
    async inject(platform) {
      await platform.services.stop(name, 'SIGKILL');
    },
    async restore(platform) {
      await platform.services.start(name);
    },
  };
}

function restartServer(label: string, server: (p: Platform) => Platform['nats'], signal: NodeJS.Signals): Fault {
  return {
    name: `restart ${label}`,
    async inject(platform) {
      await server(platform).stop(signal);
    },
    async restore(platform) {
      await server(platform).start();
    },
  };
}

export const faults: readonly Fault[] = [
  // In catalog order: the front door first, then along the path of a message
  ...serviceNames.map(killService),
  restartServer('NATS', (p) => p.nats, 'SIGKILL'),
  restartServer('PostgreSQL', (p) => p.postgres, 'SIGQUIT'),
  restartServer('Redis', (p) => p.redis, 'SIGKILL'),
];
