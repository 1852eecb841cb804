/**
 * The spam filter's consumer: score a received message, attach the verdict
 * and the header lines to add, then route it — local recipients to
 * mailbox-store (`inbound.classified`), others to the outbound queue.
 * Publishes use msgIDs derived from the queue id, so a redelivery after a
 * crash publishes nothing twice. Every verdict's reasons go to the log, to
 * metrics (verdicts by action, rule hits by rule) and into the stored
 * message (X-Spam-Status: tests=...).
 */
import { Events, type MailReceived, type SpamVerdict } from '@mail/contracts';
import type { Bus } from '@mail/bus';
import type { Logger } from '@mail/telemetry';
import type { MessageScorer } from './scoring/message-scorer';
import { decideVerdict, type PolicyThresholds } from './verdict/policy';

export interface ClassifyDependencies {
  bus: Bus;
  scorer: Pick<MessageScorer, 'score'>;
  thresholds: PolicyThresholds;
  hostname: string;
  log: Logger;
  onVerdict?(verdict: SpamVerdict): void;
}

export function createClassifyHandler(deps: ClassifyDependencies) {
  return async (mail: MailReceived): Promise<void> => {
    const score = await deps.scorer.score(mail);
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
  };
}
