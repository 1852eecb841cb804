/**
 * One delivery attempt for a batch of queued messages: every recipient
 * domain of the batch looked up once, the messages' destinations grouped
 * across messages by their MX host set (and TLS requirement), and each
 * group's messages sent back to back over a few connections (lanes,
 * connection-lane.ts): OUTBOUND_MESSAGES_PER_CONNECTION messages a lane, at
 * most OUTBOUND_CONCURRENCY lanes a group. A lane holds one slot of each of
 * its domains (the per-domain concurrency shared by the replicas counts
 * connections, as Postfix's destination concurrency does); a lane that
 * finds a domain at its limit answers `throttled` for its messages.
 *
 * Every message gets its own outcomes, one per recipient, exactly as
 * delivering it alone would give them (message-delivery.ts); an error that
 * is not a delivery outcome (a bug) fails its message alone.
 */
import { context, type Context } from '@opentelemetry/api';
import type { MxHost } from '@mail/dns';
import { checkAddresses } from './address-check';
import { tracedAttempts } from './attempt-span';
import { ConnectionLane } from './connection-lane';
import { deliverToDestination, type AttemptObserver } from './destination-delivery';
import type { SlotLease } from './domain-slots';
import { destinationsOf, hostSetKey, routeDomains, type Destination } from './destinations';
import { createHostAttempt, type MessageRequest, type SessionSource } from './host-attempt';
import { mapBounded, type MessageDeliveryDependencies } from './message-delivery';
import { groupByDomain } from './recipient-groups';
import type { RecipientOutcome } from './recipient-outcome';

/** Lanes of one batch running at once, over all its destinations. */
const PARALLEL_LANES = 32;

/** One message of the batch, with the recipients due now. */
export interface BatchDeliveryItem {
  readonly queueId: string;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly request: MessageRequest;
  /** The message's consume span: its attempts' spans go under it. */
  readonly traceContext: Context;
}

/** A message's outcomes, or the error that kept them from being known. */
export type ItemDelivery = { readonly outcomes: RecipientOutcome[] } | { readonly error: unknown };

export interface BatchDeliveryDependencies extends Omit<MessageDeliveryDependencies, 'onAttempt'> {
  /** The session pool (lanes take their first session from it and give their sessions back). */
  readonly sessions: SessionSource;
  /** Log and metrics of each attempt, per message. */
  readonly onAttempt?: (queueId: string) => AttemptObserver;
  /** Messages of one destination a lane carries. */
  readonly messagesPerConnection: number;
  /** Lanes of one destination at most. */
  readonly maxConnectionsPerDestination: number;
}

/** A message's part of a destination group. */
interface Member {
  readonly item: number;
  readonly destination: Destination;
}

interface DestinationGroup {
  readonly hosts: readonly MxHost[];
  readonly requireTls: boolean;
  readonly members: Member[];
}

export async function deliverBatch(items: readonly BatchDeliveryItem[], deps: BatchDeliveryDependencies): Promise<ItemDelivery[]> {
  const checked = items.map((item) => checkAddresses(item.mailFrom, item.recipients));
  const domainGroups = checked.map((c) => groupByDomain(c.sendable));
  const routes = await routeDomains(
    domainGroups.flatMap((groups) => groups.map((g) => g.domain)),
    deps.resolver,
    deps.random,
    deps.smarthost,
  );
  const outcomes: RecipientOutcome[][] = [];
  const errors = new Map<number, unknown>();
  const groups = new Map<string, DestinationGroup>();
  domainGroups.forEach((domains, item) => {
    const routing = destinationsOf(domains, routes);
    outcomes[item] = [...(checked[item]?.failures ?? []), ...routing.failures];
    for (const destination of routing.destinations) {
      const requireTls = deps.requireTls?.(destination.domains) ?? false;
      const key = `${hostSetKey(destination.hosts)}|${requireTls}`;
      const group = groups.get(key) ?? { hosts: destination.hosts, requireTls, members: [] };
      group.members.push({ item, destination });
      groups.set(key, group);
    }
  });
  const lanes = [...groups.values()].flatMap((group) => lanesOf(group, deps));
  await mapBounded(lanes, PARALLEL_LANES, async (lane) => {
    for (const [item, result] of await deliverLane(lane, items, deps)) {
      if ('error' in result) errors.set(item, result.error);
      else outcomes[item]?.push(...result.outcomes);
    }
  });
  return items.map((_, item) => (errors.has(item) ? { error: errors.get(item) } : { outcomes: outcomes[item] ?? [] }));
}

/** The group's members in lanes of `messagesPerConnection`, at most `maxConnectionsPerDestination` lanes (then fuller ones). */
function lanesOf(group: DestinationGroup, deps: BatchDeliveryDependencies): DestinationGroup[] {
  const count = Math.min(deps.maxConnectionsPerDestination, Math.ceil(group.members.length / deps.messagesPerConnection));
  const size = Math.ceil(group.members.length / count);
  return Array.from({ length: count }, (_, i) => ({ ...group, members: group.members.slice(i * size, (i + 1) * size) })).filter((lane) => lane.members.length > 0);
}

/** One lane: a slot of each domain, then its messages one after the other on the lane's sessions. */
async function deliverLane(lane: DestinationGroup, items: readonly BatchDeliveryItem[], deps: BatchDeliveryDependencies): Promise<[number, ItemDelivery][]> {
  const domains = [...new Set(lane.members.flatMap((m) => m.destination.domains))];
  let lease: SlotLease | undefined;
  try {
    lease = await deps.slots?.acquire(domains);
  } catch (error) {
    // Redis unreachable: nothing was sent, each message of the lane is retried
    return lane.members.map((m) => [m.item, { error }]);
  }
  if (deps.slots && !lease) {
    const detail = `${domains.join(', ')}: concurrency limit reached; waiting for a free delivery slot`;
    return lane.members.map((m) => [m.item, { outcomes: m.destination.recipients.map((recipient) => ({ recipient, status: 'temporary', detail, throttled: true })) }]);
  }
  const sessions = new ConnectionLane(deps.sessions);
  const results: [number, ItemDelivery][] = [];
  try {
    for (const { item, destination } of lane.members) {
      const message = items[item] as BatchDeliveryItem;
      // Equal preferences are shuffled per lookup: the group's order for every member, so they meet on the same server
      const ordered = { ...destination, hosts: lane.hosts };
      const attempt = tracedAttempts(createHostAttempt(sessions, message.request));
      try {
        const outcomes = await context.with(message.traceContext, () => deliverToDestination(ordered, deps.port, attempt, deps.onAttempt?.(message.queueId), lane.requireTls));
        results.push([item, { outcomes }]);
      } catch (error) {
        results.push([item, { error }]);
      }
    }
  } finally {
    sessions.close();
    // A slot that cannot be given back (Redis unreachable) runs out by itself; the outcomes stand (see message-delivery.ts)
    await lease?.release().catch(() => undefined);
  }
  return results;
}
