/**
 * Runs the zones' self-tests every interval. Every replica ticks, but a
 * Redis lock held for most of an interval lets one replica test per
 * interval; the others read the shared results. The first tick runs at
 * start-up, in the background (a slow list must not delay readiness).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DnsResolver } from '@mail/dns';
import type { Logger } from '@mail/telemetry';
import { selfTestZone, type ZoneKind } from './self-test';
import type { ZoneHealth } from './zone-health';

export interface SelfTestZone {
  readonly zone: string;
  readonly kind: ZoneKind;
}

export interface SelfTestSchedule {
  /** One tick now (tests); resolves when it is done. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export interface SelfTestOptions {
  readonly redis: Redis;
  readonly resolver: DnsResolver;
  readonly health: ZoneHealth;
  readonly zones: readonly SelfTestZone[];
  readonly intervalMs: number;
  readonly log: Pick<Logger, 'info' | 'warn'>;
}

export function startSelfTests(options: SelfTestOptions): SelfTestSchedule {
  const owner = randomUUID();
  let running: Promise<void> = Promise.resolve();
  const lockMs = Math.max(Math.floor(options.intervalMs * 0.9), 1);

  async function testAll(): Promise<void> {
    const locked = await options.redis.set('dnsxl:selftest:lock', owner, 'PX', lockMs, 'NX').catch(() => null);
    if (locked === 'OK') {
      await Promise.all(
        options.zones.map(async ({ zone, kind }) => {
          const before = options.health.lastSeen().get(zone);
          const state = await selfTestZone(options.resolver, zone, kind);
          await options.health.record(zone, state);
          if (before?.healthy !== state.healthy) {
            const log = state.healthy ? options.log.info.bind(options.log) : options.log.warn.bind(options.log);
            log({ zone, kind, detail: state.detail }, state.healthy ? 'DNS list zone in use' : 'DNS list zone taken out of use');
          }
        }),
      );
    }
    await options.health.states(options.zones.map((z) => z.zone));
  }

  function tick(): Promise<void> {
    running = running.then(testAll).catch((error: unknown) => options.log.warn({ err: error }, 'DNS list self-test failed to run'));
    return running;
  }

  if (options.zones.length === 0) return { tick: async () => undefined, stop: async () => undefined };
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
