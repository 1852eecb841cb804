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

/** Messages pending or unacknowledged over every consumer of every stream. */
export async function backlog(natsUrl: string): Promise<number> {
  const nc = await connect({ servers: natsUrl, reconnect: false, timeout: 5000 });
  try {
    const jsm = await jetstreamManager(nc);
    let total = 0;
    for await (const stream of jsm.streams.list()) {
      for await (const consumer of jsm.consumers.list(stream.config.name)) {
        // Durable consumers are the services' queues; ephemeral ones are object-store readers.
        if (consumer.config.durable_name) total += consumer.num_pending + consumer.num_ack_pending;
      }
    }
    return total;
  } finally {
    await nc.close();
  }
}

/** Accepted messages that still lack a copy. */
export function incomplete(records: readonly MessageRecord[], found: FoundCopies): number {
  return records.filter(
    (r) =>
      r.state === 'accepted' &&
      ((found.stored.get(r.message.messageId) ?? 0) < r.message.expectedStored || (found.delivered.get(r.message.messageId) ?? 0) < r.message.expectedDelivered),
  ).length;
}

/** Polls until drained (true) or the deadline passes (false); reports progress through `log`. */
export async function waitForDrain(
  natsUrl: string,
  records: readonly MessageRecord[],
  find: () => Promise<FoundCopies>,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = 0;
  for (;;) {
    const [queued, missing] = await Promise.all([backlog(natsUrl).catch(() => -1), find().then((found) => incomplete(records, found)).catch(() => -1)]);
    if (queued === 0 && missing === 0) return true;
    if (Date.now() > deadline) {
      log(`drain deadline passed: ${queued} queued, ${missing} accepted messages incomplete`);
      return false;
    }
    if (Date.now() - lastReport > 10_000) {
      log(`draining: ${queued} queued, ${missing} accepted messages incomplete`);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
