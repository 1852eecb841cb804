/**
 * One delivery attempt of one queued message: group the recipients by
 * domain, find each domain's hosts, and deliver to every destination at once
 * (a bounded number in parallel), one transaction per host. A destination
 * whose domain is at its concurrency limit (shared by the replicas) is not
 * tried: its recipients come back `throttled`, to be tried again shortly.
 */
import type { DnsResolver } from '@mail/dns';
import { checkAddresses } from './address-check';
import { routeRecipients, type Destination } from './destinations';
import type { DomainSlots } from './domain-slots';
import type { TlsRequirement } from './tls-policy';
import { deliverToDestination, type AttemptObserver } from './destination-delivery';
import type { AttemptHost } from './host-attempt';
import { groupByDomain } from './recipient-groups';
import type { RecipientOutcome } from './recipient-outcome';
import type { Smarthost } from '../smarthost/relay-host';

/** Destinations of one message delivered at the same time. */
const PARALLEL_DESTINATIONS = 8;

export interface MessageDeliveryDependencies {
  readonly resolver: DnsResolver;
  /** The port of every remote MX (25; tests use a sink's port). */
  readonly port: number;
  readonly onAttempt?: AttemptObserver;
  /** Random source for ordering MX hosts of equal preference. */
  readonly random?: () => number;
  /** Per-domain concurrency shared across replicas; unlimited when absent. */
  readonly slots?: DomainSlots;
  /** Destinations that must be reached over verified TLS. */
  readonly requireTls?: TlsRequirement;
  /** Every message goes to this host instead of the recipients' MX hosts (OUTBOUND_RELAY_HOST). */
  readonly smarthost?: Smarthost;
}

/**
 * Outcomes for `recipients`, one each (duplicates of a mailbox collapse to
 * the first). `onDestination` gets each destination's outcomes as soon as
 * they are known (the caller records the final ones), not when the slowest
 * destination is done.
 */
export async function deliverMessage(
  mailFrom: string,
  recipients: readonly string[],
  attemptHost: AttemptHost,
  deps: MessageDeliveryDependencies,
  onDestination?: (outcomes: readonly RecipientOutcome[]) => Promise<void>,
): Promise<RecipientOutcome[]> {
  const checked = checkAddresses(mailFrom, recipients);
  const routing = await routeRecipients(groupByDomain(checked.sendable), deps.resolver, deps.random, deps.smarthost);
  // Once outcomes cannot be handed over (recorded), no other destination is started: its delivery would go out again
  let handOverFailed: { readonly error: unknown } | undefined;
  const delivered = await mapBounded(routing.destinations, PARALLEL_DESTINATIONS, async (destination) => {
    if (handOverFailed !== undefined) throw handOverFailed.error;
    const outcomes = await withDomainSlots(deps.slots, destination, () => deliverToDestination(destination, deps.port, attemptHost, deps.onAttempt, deps.requireTls?.(destination.domains) ?? false));
    try {
      await onDestination?.(outcomes);
    } catch (error) {
      handOverFailed ??= { error };
      throw error;
    }
    return outcomes;
  });
  return [...checked.failures, ...routing.failures, ...delivered.flat()];
}

/** Runs `deliver` holding a slot for each of the destination's domains, or answers `throttled` for its recipients. */
async function withDomainSlots(slots: DomainSlots | undefined, destination: Destination, deliver: () => Promise<RecipientOutcome[]>): Promise<RecipientOutcome[]> {
  if (!slots) return deliver();
  const lease = await slots.acquire(destination.domains);
  if (!lease) {
    const detail = `${destination.domains.join(', ')}: concurrency limit reached; waiting for a free delivery slot`;
    return destination.recipients.map((recipient) => ({ recipient, status: 'temporary', detail, throttled: true }));
  }
  try {
    return await deliver();
  } finally {
    // A slot that cannot be given back (Redis unreachable) runs out by itself.
    // Failing here would throw away outcomes already final at the remote
    // server (a 250), and the redelivery would send those recipients a second copy.
    await lease.release().catch(() => undefined);
  }
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
