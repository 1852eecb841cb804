/**
 * Sends items for a measurement script: as fast as `inFlight` at a time
 * allow, or paced at `ratePerSecond` (item n goes out n/rate seconds after
 * the start, so a service sees the small batches of a steady low rate).
 */
import { setTimeout as delay } from 'node:timers/promises';

export async function sendPaced<T>(items: readonly T[], send: (item: T) => Promise<unknown>, options: { readonly ratePerSecond?: number; readonly inFlight?: number } = {}): Promise<void> {
  const started = performance.now();
  const rate = options.ratePerSecond;
  let next = 0;
  await Promise.all(
    Array.from({ length: options.inFlight ?? 100 }, async () => {
      for (let index = next++; index < items.length; index = next++) {
        if (rate !== undefined) await delay(Math.max(0, started + (index * 1000) / rate - performance.now()));
        await send(items[index] as T);
      }
    }),
  );
}
