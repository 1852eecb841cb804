/**
 * Consumer of `mail.v1.inbound.classified`: work out the recipient mailboxes
 * (resolving addresses ingress left unresolved), then store the message in
 * one transaction — the body streamed from the object store in pieces, the
 * trace and verdict headers prepended, metadata parsed under a budget —
 * and report per-recipient outcomes; returning lets the bus ack. Any throw
 * before that is retried by the bus (the store is idempotent); a corrupt body
 * is dead-lettered.
 */
import { PermanentError, type BodyStore } from '@mail/bus';
import type { MailClassified } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import { resolveAddress } from '../accounts/recipient-resolution';
import type { Pool, Queryable } from '../database/pool';
import type { StepHook } from './crash-points';
import type { DeliveryMetrics } from './delivery-metrics';
import { deliveryEvents, type OutgoingDeliveryEvent } from './delivery-events';
import { destinationOf, noteAddressedAs } from './destination';
import { recordEndToEndLatency } from './end-to-end-latency';
import type { MetadataBudget } from './message-metadata';
import { parseMetadataOffThread } from './metadata-parser';
import { storedPrefix } from './stored-message';
import { storeMessage } from './store-message';
import { CorruptBodyError, StoredPieces } from './stored-pieces';

export interface ClassifiedHandlerDeps {
  readonly pool: Pool;
  readonly bodies: Pick<BodyStore, 'read'>;
  readonly budget: MetadataBudget;
  /** Octets written per statement (STORE_WRITE_CHUNK). */
  readonly writeChunkBytes: number;
  readonly log: Logger;
  readonly metrics: DeliveryMetrics;
  publish(event: OutgoingDeliveryEvent): Promise<unknown>;
  /** Told each step a delivery reaches (tests crash the process there). */
  readonly onStep?: StepHook;
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

export function createClassifiedHandler(deps: ClassifiedHandlerDeps): (event: MailClassified) => Promise<void> {
  return async (event) => {
    const log = deps.log.child({ queueId: event.queueId });
    const destination = destinationOf(event);
    if (destination.invalid.length > 0) log.warn({ mailboxes: destination.invalid }, 'skipping recipients whose mailbox is not a valid address');
    const late = await resolveAtDelivery(deps.pool, destination.unresolved, destination.addressedAs);
    const mailboxes = [...new Set([...destination.mailboxes, ...late.owners])];
    if (mailboxes.length === 0 && late.unknown.length === 0) {
      log.warn('classified message has no local recipient; nothing to store');
      return;
    }
    const prefix = storedPrefix(event);
    const openBody = async () => {
      const pieces = new StoredPieces(prefix, deps.bodies.read(event.body), event.body, deps.writeChunkBytes);
      const parsed = await parseMetadataOffThread(await pieces.head(deps.budget.maxHeaderBytes), deps.budget);
      if (parsed.outcome !== 'parsed') {
        log.warn({ outcome: parsed.outcome, reason: parsed.reason }, 'storing with minimal metadata');
        deps.metrics.metadataFallback(parsed.outcome);
      }
      return { metadata: parsed.metadata, pieces };
    };
    let outcome;
    try {
      outcome = await storeMessage(deps.pool, {
        queueId: event.queueId,
        envelopeFrom: event.envelope.mailFrom,
        receivedAt: event.receivedAt,
        size: prefix.length + event.body.size,
        mailboxes,
        folder: destination.folder,
        openBody,
      }, deps.onStep);
    } catch (error) {
      if (error instanceof CorruptBodyError) throw new PermanentError(`body ${event.body.key}: ${error.message}; refusing to store a corrupt message`, { cause: error });
      throw error;
    }
    deps.onStep?.('committed');
    const missing = [...late.unknown, ...outcome.missing];
    if (missing.length > 0) log.warn({ mailboxes: missing }, 'recipient has no mailbox (any more); rejected');
    if (outcome.overQuota.length > 0) log.warn({ mailboxes: outcome.overQuota.map((usage) => usage.address) }, 'mailbox over quota; rejected');
    deps.metrics.message(outcome.delivered.length === 0 ? 'no-mailbox' : outcome.created === 0 ? 'duplicate' : 'stored');
    if (outcome.created > 0) recordEndToEndLatency(event.receivedAt);
    deps.metrics.rejected('no-mailbox', missing.length);
    deps.metrics.rejected('over-quota', outcome.overQuota.length);
    log.info({ folder: destination.folder, delivered: outcome.delivered.length, created: outcome.created, size: prefix.length + event.body.size }, 'message stored');
    const events = deliveryEvents(event.queueId, { ...outcome, missing }, destination.addressedAs);
    await Promise.all(events.map((outgoing) => deps.publish(outgoing)));
    deps.onStep?.('events-published');
  };
}
