/**
 * Waiting, with a deadline, until the queues have drained: every durable
 * JetStream consumer of the platform has nothing pending and nothing awaiting an ack,
 * and every accepted message has all its expected copies. A message that
 * never arrives does not hang the run: at the deadline the tally counts it.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { MessageRecord } from './message-ledger';
import type { FoundCopies } from './tally';

/** Messages pending or unacknowledged, by durable consumer (`stream/consumer`), where any are. */
export async function backlog(natsUrl: string): Promise<Map<string, { pending: number; ackPending: number; ackFloor: number }>> {
  const nc = await connect({ servers: natsUrl, reconnect: false, timeout: 5000 });
  try {
    const jsm = await jetstreamManager(nc);
    const waiting = new Map<string, { pending: number; ackPending: number; ackFloor: number }>();
    for await (const stream of jsm.streams.list()) {
      // The object store's stream has only readers' ephemeral consumers, thousands of them.
      if (stream.config.name.startsWith('OBJ_')) continue;
      for await (const consumer of jsm.consumers.list(stream.config.name)) {
        // Durable consumers are the services' queues.
        if (!consumer.config.durable_name || consumer.num_pending + consumer.num_ack_pending === 0) continue;
        waiting.set(`${stream.config.name}/${consumer.name}`, { pending: consumer.num_pending, ackPending: consumer.num_ack_pending, ackFloor: consumer.ack_floor.stream_seq });
      }
    }
    return waiting;
  } finally {
    await nc.close();
  }
}

function describeBacklog(waiting: Map<string, { pending: number; ackPending: number; ackFloor: number }> | undefined): string {
  if (!waiting) return 'queues unknown';
  if (waiting.size === 0) return 'queues empty';
  return [...waiting].map(([name, b]) => `${name}: ${b.pending} pending, ${b.ackPending} unacked (ack floor ${b.ackFloor})`).join('; ');
}

/** Accepted messages that still lack a copy. */
export function incomplete(records: readonly MessageRecord[], found: FoundCopies): number {
  return records.filter(
    (r) => r.state === 'accepted' && ((found.stored.get(r.message.messageId) ?? 0) < r.message.expectedStored || (found.delivered.get(r.message.messageId) ?? 0) < r.message.expectedDelivered),
  ).length;
}

/** Polls until drained (true) or the deadline passes (false); reports progress through `log`. */
export async function waitForDrain(natsUrl: string, records: readonly MessageRecord[], find: () => Promise<FoundCopies>, timeoutMs: number, log: (line: string) => void): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const [waiting, missing] = await Promise.all([
      backlog(natsUrl).catch(() => undefined),
      find()
        .then((found) => incomplete(records, found))
        .catch(() => -1),
    ]);
    if (waiting?.size === 0 && missing === 0) return true;
    if (Date.now() > deadline) {
      log(`drain deadline passed: ${missing} accepted messages incomplete; ${describeBacklog(waiting)}`);
      return false;
    }
    if (Date.now() - lastReport > 10_000) {
      log(`draining: ${missing} accepted messages incomplete; ${describeBacklog(waiting)}`);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
