/**
 * One delivery attempt for a batch of queued messages: every recipient
 * domain of the batch looked up once, the messages' destinations grouped
 * across messages by their MX host set (and TLS requirement), and each
 * group's messages sent back to back over a few connections (lanes,
 * connection-lane.ts): OUTBOUND_MESSAGES_PER_CONNECTION messages a lane, at
 * most OUTBOUND_CONCURRENCY lanes a group. A lane holds one slot of each of
 * its domains (the per-domain concurrency shared by the replicas counts
 * connections, as Postfix's destination concurrency does); a lane that
 * finds a domain at its limit is taken over by a lane of its group that
 * holds slots, and answers `throttled` for its messages only when none does
 * (lane-workers.ts).
 *
 * Every message gets its own outcomes, one per recipient, exactly as
 * delivering it alone would give them (message-delivery.ts); an error that
 * is not a delivery outcome (a bug) fails its message alone. A lane hands
 * each message's outcomes to `onDelivered` (the caller records the final
 * ones) and waits for it before its connection carries the next message:
 * a remote 250 cannot be taken back, so after a crash only the message
 * whose record was under way, the last thing on its connection, can go out
 * a second time (the window RFC 1047 describes, where SMTP can promise no
 * better than "at least once").
 */
import { context, type Context } from '@opentelemetry/api';
import type { MxHost } from '@mail/dns';
import { checkAddresses } from './address-check';
import { tracedAttempts } from './attempt-span';
import { ConnectionLane } from './connection-lane';
import { deliverToDestination, type AttemptObserver } from './destination-delivery';
import { destinationsOf, hostSetKey, routeDomains, type Destination } from './destinations';
import { createHostAttempt, type MessageRequest, type SessionSource } from './host-attempt';
import { laneWorkers, type LaneWork } from './lane-workers';
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
  /**
   * Called with a message's outcomes at one destination as soon as they are
   * known, before the lane sends its next message; a rejection fails the
   * message and ends the lane (its other messages are retried, not sent).
   */
  readonly onDelivered?: (item: number, outcomes: readonly RecipientOutcome[]) => Promise<void>;
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
  const workers = [...groups.values()].flatMap((group) => laneWorkers(lanesOf(group, deps), deps.slots, laneWork(items, deps)));
  await mapBounded(workers, PARALLEL_LANES, async (worker) => {
    for (const [item, result] of await worker()) {
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

type LaneResult = [number, ItemDelivery];

/** What a lane's worker does: its messages one after the other on the worker's sessions (kept from lane to lane). */
function laneWork(items: readonly BatchDeliveryItem[], deps: BatchDeliveryDependencies): LaneWork<DestinationGroup, LaneResult, ConnectionLane> {
  return {
    domainsOf: (lane) => lane.members.flatMap((m) => m.destination.domains),
    startWorker: () => new ConnectionLane(deps.sessions),
    endWorker: (sessions) => sessions.close(),
    send: (lane, sessions) => sendLane(lane, sessions, items, deps),
    throttled: (lane, domains) => {
      const detail = `${domains.join(', ')}: concurrency limit reached; waiting for a free delivery slot`;
      return lane.members.map((m) => [m.item, { outcomes: m.destination.recipients.map((recipient) => ({ recipient, status: 'temporary', detail, throttled: true })) }]);
    },
    // Redis unreachable: nothing was sent, each message of the lane is retried
    failed: (lane, error) => lane.members.map((m) => [m.item, { error }]),
  };
}

/** A lane's messages one after the other on `sessions`, its slots held, each one's outcomes handed over before the next goes. */
async function sendLane(lane: DestinationGroup, sessions: ConnectionLane, items: readonly BatchDeliveryItem[], deps: BatchDeliveryDependencies): Promise<LaneResult[]> {
  const results: LaneResult[] = [];
  for (const [position, { item, destination }] of lane.members.entries()) {
    const message = items[item] as BatchDeliveryItem;
    // Equal preferences are shuffled per lookup: the group's order for every member, so they meet on the same server
    const ordered = { ...destination, hosts: lane.hosts };
    const attempt = tracedAttempts(createHostAttempt(sessions, message.request));
    let outcomes: RecipientOutcome[];
    try {
      outcomes = await context.with(message.traceContext, () => deliverToDestination(ordered, deps.port, attempt, deps.onAttempt?.(message.queueId), lane.requireTls));
    } catch (error) {
      results.push([item, { error }]);
      continue;
    }
    try {
      await deps.onDelivered?.(item, outcomes);
    } catch (error) {
      results.push([item, { error }]);
      // Deliveries whose outcomes cannot be recorded would all go out again: the rest of the lane waits for its retry instead
      const notSent = new Error('not sent: recording the outcome of an earlier message on its connection failed', { cause: error });
      for (const rest of lane.members.slice(position + 1)) results.push([rest.item, { error: notSent }]);
      break;
    }
    results.push([item, { outcomes }]);
  }
  return results;
}
