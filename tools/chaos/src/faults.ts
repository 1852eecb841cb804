/**
 * The faults of the matrix, one per phase: SIGKILL each service (and start
 * it again), then restart each piece of infrastructure — NATS by SIGKILL
 * (its JetStream store is on disk), PostgreSQL by an immediate shutdown
 * (SIGQUIT: no checkpoint, crash recovery at the next start) and Redis by
 * SIGKILL (with AOF persistence, as deployed: its keys come back).
 */
import { serviceNames, type ServiceName } from '@mail/testing';
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
      await platform.kill(name, 'SIGKILL');
    },
    async restore(platform) {
      await platform.start(name);
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

/** Order of `serviceNames` is start order; the matrix kills the front door first, as the issue lists them. */
const killOrder: readonly ServiceName[] = ['smtp-ingress', 'spam-filter', 'mailbox-store', 'pop3-server', 'outbound-relay'];

export const faults: readonly Fault[] = [
  ...killOrder.filter((name) => serviceNames.includes(name)).map(killService),
  restartServer('NATS', (p) => p.nats, 'SIGKILL'),
  restartServer('PostgreSQL', (p) => p.postgres, 'SIGQUIT'),
  restartServer('Redis', (p) => p.redis, 'SIGKILL'),
];
