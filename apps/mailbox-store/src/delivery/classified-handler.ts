/**
 * Consumer of `mail.v1.inbound.classified`: read the body from the object
 * store, prepend the trace and verdict headers, parse metadata under a
 * budget, store everything in one transaction, report per-recipient
 * outcomes; returning lets the bus ack. Any throw before that is retried by
 * the bus (the store is idempotent), a corrupt body is dead-lettered.
 */
import { createHash } from 'node:crypto';
import { PermanentError, type BodyStore } from '@mail/bus';
import type { MailClassified } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { Pool } from '../database/pool';
import type { DeliveryMetrics } from './delivery-metrics';
import { deliveryEvents, type OutgoingDeliveryEvent } from './delivery-events';
import { destinationOf } from './destination';
import { parseMetadata, type MetadataBudget } from './message-metadata';
import { assembleStoredMessage, prependedFields } from './stored-message';
import { storeMessage } from './store-message';

export interface ClassifiedHandlerDeps {
  readonly pool: Pool;
  readonly bodies: Pick<BodyStore, 'readAll'>;
  readonly budget: MetadataBudget;
  readonly log: Logger;
  readonly metrics: DeliveryMetrics;
  publish(event: OutgoingDeliveryEvent): Promise<unknown>;
}

export function createClassifiedHandler(deps: ClassifiedHandlerDeps): (event: MailClassified) => Promise<void> {
  return async (event) => {
    const log = deps.log.child({ queueId: event.queueId });
    const destination = destinationOf(event);
    if (destination.invalid.length > 0) log.warn({ mailboxes: destination.invalid }, 'skipping recipients whose mailbox is not a valid address');
    if (destination.mailboxes.length === 0) {
      log.warn('classified message has no local recipient; nothing to store');
      return;
    }
    const body = await deps.bodies.readAll(event.body);
    if (createHash('sha256').update(body).digest('hex') !== event.body.sha256) {
      throw new PermanentError(`body ${event.body.key} does not match its sha256; refusing to store a corrupt message`);
    }
    const raw = assembleStoredMessage(prependedFields(event), body);
    const parsed = await parseMetadata(body, deps.budget);
    if (parsed.outcome !== 'parsed') {
      log.warn({ outcome: parsed.outcome, reason: parsed.reason }, 'storing with minimal metadata');
      deps.metrics.metadataFallback(parsed.outcome);
    }
    const outcome = await storeMessage(deps.pool, {
      queueId: event.queueId,
      raw,
      sha256: createHash('sha256').update(raw).digest('hex'),
      envelopeFrom: event.envelope.mailFrom,
      receivedAt: event.receivedAt,
      metadata: parsed.metadata,
      mailboxes: destination.mailboxes,
      folder: destination.folder,
    });
    if (outcome.missing.length > 0) log.warn({ mailboxes: outcome.missing }, 'recipient mailbox no longer exists; skipped');
    deps.metrics.message(outcome.delivered.length === 0 ? 'no-mailbox' : outcome.created === 0 ? 'duplicate' : 'stored');
    log.info({ folder: destination.folder, delivered: outcome.delivered.length, created: outcome.created, size: raw.length }, 'message stored');
    await Promise.all(deliveryEvents(event.queueId, outcome).map((outgoing) => deps.publish(outgoing)));
  };
}
