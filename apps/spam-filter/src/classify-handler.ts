/**
 * The spam filter's consumer, a batch of received messages at a time
 * (bus.consumeBatches): score them together (scoring/message-scorer.ts:
 * one Redis round trip for the batch), then for each message attach the
 * verdict and the header lines to add and route it — local recipients to
 * mailbox-store (`inbound.classified`), others to the outbound queue. Each
 * message gets its own outcome: it is acked only once its own publishes
 * are, and a message that cannot be scored or published now is retried
 * (or dead-lettered) alone, without holding back the others. Publishes use
 * msgIDs derived from the queue id, so a redelivery after a crash
 * publishes nothing twice. Every verdict's reasons go to the log, to
 * metrics (verdicts by action, rule hits by rule) and into the stored
 * message (X-Spam-Status: tests=...).
 */
import { context } from '@opentelemetry/api';
import { failed, outcomeOf, type BatchHandler, type BatchMessage, type Bus, type MessageOutcome } from '@mail/bus';
import { Events, type MailReceived, type SpamVerdict } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { MessageScore, MessageScorer } from './scoring/message-scorer';
import { decideVerdict, type PolicyThresholds } from './verdict/policy';

export interface ClassifyDependencies {
  bus: Pick<Bus, 'publish'>;
  scorer: Pick<MessageScorer, 'scoreBatch'>;
  thresholds: PolicyThresholds;
  hostname: string;
  log: Logger;
  onVerdict?(verdict: SpamVerdict): void;
}

export function createClassifyHandler(deps: ClassifyDependencies): BatchHandler<MailReceived> {
  /** The verdict on one scored message, published in its own trace. */
  async function route(mail: MailReceived, score: MessageScore): Promise<void> {
    const verdict = decideVerdict(score, deps.thresholds, new Date(), deps.hostname);
    deps.log.info({ queueId: mail.queueId, action: verdict.action, score: verdict.score, reasons: verdict.reasons }, 'message classified');
    deps.onVerdict?.(verdict);

    const local = mail.envelope.recipients.filter((r) => r.route === 'local');
    const remote = mail.envelope.recipients.filter((r) => r.route === 'remote');
    if (local.length > 0) {
      await deps.bus.publish(Events.mailClassified, { ...mail, envelope: { ...mail.envelope, recipients: local }, verdict }, `${mail.queueId}:classified`);
    }
    if (remote.length > 0) {
      await deps.bus.publish(
        Events.outboundQueued,
        {
          version: 1,
          queueId: mail.queueId,
          queuedAt: new Date().toISOString(),
          envelope: { ...mail.envelope, recipients: remote },
          body: mail.body,
          traceHeaders: mail.traceHeaders,
          localRecipients: local.length,
          ...(mail.bodyLacksHeaderSection === true ? { bodyLacksHeaderSection: true } : {}),
        },
        `${mail.queueId}:outbound`,
      );
    }
  }

  return async (batch: readonly BatchMessage<MailReceived>[]): Promise<MessageOutcome[]> => {
    const scores = await deps.scorer.scoreBatch(batch.map((message) => message.payload));
    return Promise.all(
      batch.map((message, i) => {
        const score = scores[i];
        if (score?.status !== 'fulfilled') return failed(score?.reason ?? new Error('message not scored'));
        return context.with(message.traceContext, () => outcomeOf(route(message.payload, score.value)));
      }),
    );
  };
}
