/**
 * One delivery attempt of one queued message: group the recipients by
 * domain, find each domain's hosts, and deliver to every destination at once
 * (a bounded number in parallel), one transaction per host.
 */
import type { DnsResolver } from '@mail/dns';
import { checkAddresses } from './address-check';
import { routeRecipients } from './destinations';
import { deliverToDestination, type AttemptObserver } from './destination-delivery';
import type { AttemptHost } from './host-attempt';
import { groupByDomain } from './recipient-groups';
import type { RecipientOutcome } from './recipient-outcome';

/** Destinations of one message delivered at the same time. */
const PARALLEL_DESTINATIONS = 8;

export interface MessageDeliveryDependencies {
  readonly resolver: DnsResolver;
  /** The port of every remote MX (25; tests use a sink's port). */
  readonly port: number;
  readonly onAttempt?: AttemptObserver;
  /** Random source for ordering MX hosts of equal preference. */
  readonly random?: () => number;
}

/** Outcomes for `recipients`, one each (duplicates of a mailbox collapse to the first). */
export async function deliverMessage(
  mailFrom: string,
  recipients: readonly string[],
  attemptHost: AttemptHost,
  deps: MessageDeliveryDependencies,
): Promise<RecipientOutcome[]> {
  const checked = checkAddresses(mailFrom, recipients);
  const routing = await routeRecipients(groupByDomain(checked.sendable), deps.resolver, deps.random);
  const delivered = await mapBounded(routing.destinations, PARALLEL_DESTINATIONS, (destination) =>
    deliverToDestination(destination, deps.port, attemptHost, deps.onAttempt),
  );
  return [...checked.failures, ...routing.failures, ...delivered.flat()];
}

/** `Promise.all(items.map(fn))` with at most `limit` running at once; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
