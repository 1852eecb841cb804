/**
 * Runs the zones' self-tests every interval. Every replica ticks, but a
 * Redis lock held for most of an interval lets one replica test per
 * interval; the others read the shared results. The first tick runs at
 * start-up, in the background (a slow list must not delay readiness).
 *
 * A zone that fails is tested again by the same replica sooner than the
 * next interval — after 5 s, then twice as long each time — so that one
 * slow answer (a pod starting on a busy node, a resolver restarting) does
 * not keep a working list out of use for a whole interval.
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

/** The first early retest of a failed zone; each next one waits twice as long, while shorter than the interval. */
export const FIRST_RETEST_MS = 5_000;

export function startSelfTests(options: SelfTestOptions): SelfTestSchedule {
  const owner = randomUUID();
  let running: Promise<void> = Promise.resolve();
  let retest: NodeJS.Timeout | undefined;
  let retestDelayMs = FIRST_RETEST_MS;
  let stopped = false;
  const lockMs = Math.max(Math.floor(options.intervalMs * 0.9), 1);

  /** Tests `zones` and records the results; the zones that failed. */
  async function testZones(zones: readonly SelfTestZone[]): Promise<SelfTestZone[]> {
    const failed: SelfTestZone[] = [];
    await Promise.all(
      zones.map(async (tested) => {
        const { zone, kind } = tested;
        const before = options.health.lastSeen().get(zone);
        const state = await selfTestZone(options.resolver, zone, kind);
        await options.health.record(zone, state);
        if (!state.healthy) failed.push(tested);
        if (before?.healthy !== state.healthy) {
          const log = state.healthy ? options.log.info.bind(options.log) : options.log.warn.bind(options.log);
          log({ zone, kind, detail: state.detail }, state.healthy ? 'DNS list zone in use' : 'DNS list zone taken out of use');
        }
      }),
    );
    return failed;
  }

  /** The failed zones tested again early (this replica holds the interval's lock), or the delay reset once none failed. */
  function retestSoon(failed: readonly SelfTestZone[]): void {
    clearTimeout(retest);
    retest = undefined;
    if (failed.length === 0) {
      retestDelayMs = FIRST_RETEST_MS;
      return;
    }
    if (stopped || retestDelayMs >= options.intervalMs) return;
    const delayMs = retestDelayMs;
    retestDelayMs *= 2;
    retest = setTimeout(() => void queue(async () => retestSoon(await testZones(failed))), delayMs);
    retest.unref();
  }

  async function testAll(): Promise<void> {
    const locked = await options.redis.set('dnsxl:selftest:lock', owner, 'PX', lockMs, 'NX').catch(() => null);
    if (locked === 'OK') {
      retestDelayMs = FIRST_RETEST_MS;
      retestSoon(await testZones(options.zones));
    }
    await options.health.states(options.zones.map((z) => z.zone));
  }

  function queue(run: () => Promise<void>): Promise<void> {
    running = running.then(run).catch((error: unknown) => options.log.warn({ err: error }, 'DNS list self-test failed to run'));
    return running;
  }

  const tick = (): Promise<void> => queue(testAll);

  if (options.zones.length === 0) return { tick: async () => undefined, stop: async () => undefined };
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retest);
      await running;
    },
  };
}
