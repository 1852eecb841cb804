/**
 * A classified message's delivery, before and after it is stored, whether
 * alone (classified-handler.ts) or in a group (classified-batch-handler.ts):
 * the plan — the recipient mailboxes (resolving addresses ingress left
 * unresolved), the folder, the prepended header lines and the stored size —
 * and the report once stored: log lines, metrics and one delivery event per
 * recipient, published after the commit.
 */
import type { MailClassified } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import { resolveAddress } from '../accounts/recipient-resolution';
import type { Queryable } from '../database/pool';
import type { FolderName } from '../mailbox/folders';
import type { DeliveryMetrics } from './delivery-metrics';
import { deliveryEvents, type OutgoingDeliveryEvent } from './delivery-events';
import { destinationOf, noteAddressedAs } from './destination';
import { recordEndToEndLatency } from './end-to-end-latency';
import type { StoreOutcome } from './store-message';
import { storedPrefix } from './stored-message';

export interface DeliveryPlan {
  readonly event: MailClassified;
  readonly log: Logger;
  /** Normalized owner addresses to store the message for. */
  readonly mailboxes: string[];
  /** Addresses that resolved to no mailbox at delivery (rejected, 5.1.1). */
  readonly unknown: string[];
  /** The RCPT addresses behind each owner, where they differ (aliases). */
  readonly addressedAs: Map<string, string[]>;
  readonly folder: FolderName;
  /** Header lines stored before the body. */
  readonly prefix: Buffer;
  /** Octets of the stored message (prefix + body). */
  readonly size: number;
}

/** Owners of the addresses ingress left unresolved; addresses with no mailbox are `unknown`. */
async function resolveAtDelivery(db: Queryable, addresses: readonly string[], addressedAs: Map<string, string[]>) {
  const owners: string[] = [];
  const unknown: string[] = [];
  for (const address of addresses) {
    const resolution = await resolveAddress(db, address);
    if (resolution.kind !== 'local') {
      unknown.push(address.toLowerCase());
      continue;
    }
    owners.push(...resolution.mailboxes);
    for (const owner of resolution.mailboxes) noteAddressedAs(addressedAs, owner, address);
  }
  return { owners, unknown };
}

/** The plan of `event`; undefined when it has no local recipient at all (nothing to store or report). */
export async function planDelivery(db: Queryable, parentLog: Logger, event: MailClassified): Promise<DeliveryPlan | undefined> {
  const log = parentLog.child({ queueId: event.queueId });
  const destination = destinationOf(event);
  if (destination.invalid.length > 0) log.warn({ mailboxes: destination.invalid }, 'skipping recipients whose mailbox is not a valid address');
  const late = await resolveAtDelivery(db, destination.unresolved, destination.addressedAs);
  const mailboxes = [...new Set([...destination.mailboxes, ...late.owners])];
  if (mailboxes.length === 0 && late.unknown.length === 0) {
    log.warn('classified message has no local recipient; nothing to store');
    return undefined;
  }
  const prefix = storedPrefix(event);
  return { event, log, mailboxes, unknown: late.unknown, addressedAs: destination.addressedAs, folder: destination.folder, prefix, size: prefix.length + event.body.size };
}

export interface DeliveryReporter {
  readonly metrics: DeliveryMetrics;
  publish(event: OutgoingDeliveryEvent): Promise<unknown>;
}

/** Log, count and publish the per-recipient outcome of a stored (committed) delivery. */
export async function reportDelivery(reporter: DeliveryReporter, plan: DeliveryPlan, outcome: StoreOutcome): Promise<void> {
  const { log } = plan;
  const { metrics } = reporter;
  const missing = [...plan.unknown, ...outcome.missing];
  if (missing.length > 0) log.warn({ mailboxes: missing }, 'recipient has no mailbox (any more); rejected');
  if (outcome.overQuota.length > 0) log.warn({ mailboxes: outcome.overQuota.map((usage) => usage.address) }, 'mailbox over quota; rejected');
  metrics.message(outcome.delivered.length === 0 ? 'no-mailbox' : outcome.created === 0 ? 'duplicate' : 'stored');
  if (outcome.created > 0) recordEndToEndLatency(plan.event.receivedAt);
  metrics.rejected('no-mailbox', missing.length);
  metrics.rejected('over-quota', outcome.overQuota.length);
  log.info({ folder: plan.folder, delivered: outcome.delivered.length, created: outcome.created, size: plan.size }, 'message stored');
  const events = deliveryEvents(plan.event.queueId, { ...outcome, missing }, plan.addressedAs);
  await Promise.all(events.map((outgoing) => reporter.publish(outgoing)));
}
