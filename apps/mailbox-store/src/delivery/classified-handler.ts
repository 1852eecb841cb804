/**
 * One classified message stored alone (`mail.v1.inbound.classified`): plan
 * its delivery, then store it in one transaction — the body streamed from
 * the object store in pieces, the trace and verdict headers prepended,
 * metadata parsed under a budget — and report per-recipient outcomes;
 * returning lets the bus ack. Any throw before that is retried by the bus
 * (the store is idempotent); a corrupt body is dead-lettered. The path of a
 * large body, of a batch of one, and of each message of a group whose
 * transaction failed (classified-batch-handler.ts).
 */
import { PermanentError, type BodyStore } from '@mail/bus';
import type { MailClassified } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { Pool } from '../database/pool';
import type { ChangeNotifier } from '../mailbox/change-notices';
import type { StepHook } from './crash-points';
import type { DeliveryMetrics } from './delivery-metrics';
import type { OutgoingDeliveryEvent } from './delivery-events';
import { planDelivery, reportDelivery, type DeliveryPlan } from './delivery-plan';
import type { MessageMetadata, MetadataBudget } from './message-metadata';
import { parseMetadataUnderBudget } from './metadata-parser';
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
  /** Tells IMAP sessions of the UIDs a committed delivery added (mailbox.changed). */
  readonly notify?: ChangeNotifier;
}

/** The stored octets of a message (prefix and body, read as it streams) cut into pieces of `pieceBytes`, and its metadata. */
export async function openStoredBody(
  deps: Pick<ClassifiedHandlerDeps, 'bodies' | 'budget' | 'metrics'>,
  plan: DeliveryPlan,
  pieceBytes: number,
): Promise<{ metadata: MessageMetadata; pieces: StoredPieces }> {
  const pieces = new StoredPieces(plan.prefix, deps.bodies.read(plan.event.body), plan.event.body, pieceBytes);
  const parsed = await parseMetadataUnderBudget(await pieces.head(deps.budget.maxHeaderBytes), deps.budget);
  if (parsed.outcome !== 'parsed') {
    plan.log.warn({ outcome: parsed.outcome, reason: parsed.reason }, 'storing with minimal metadata');
    deps.metrics.metadataFallback(parsed.outcome);
  }
  return { metadata: parsed.metadata, pieces };
}

/** A corrupt body can never be stored: dead-letter it rather than retry. */
export function permanentIfCorrupt(error: unknown, plan: DeliveryPlan): unknown {
  if (!(error instanceof CorruptBodyError)) return error;
  return new PermanentError(`body ${plan.event.body.key}: ${error.message}; refusing to store a corrupt message`, { cause: error });
}

export function createClassifiedHandler(deps: ClassifiedHandlerDeps): (event: MailClassified) => Promise<void> {
  return async (event) => {
    const plan = await planDelivery(deps.pool, deps.log, event);
    if (plan === undefined) return;
    const openBody = () => openStoredBody(deps, plan, deps.writeChunkBytes);
    let outcome;
    try {
      outcome = await storeMessage(
        deps.pool,
        { queueId: event.queueId, envelopeFrom: event.envelope.mailFrom, receivedAt: event.receivedAt, size: plan.size, mailboxes: plan.mailboxes, folder: plan.folder, openBody },
        deps.onStep,
        deps.notify,
      );
    } catch (error) {
      throw permanentIfCorrupt(error, plan);
    }
    deps.onStep?.('committed');
    await reportDelivery(deps, plan, outcome);
    deps.onStep?.('events-published');
  };
}
