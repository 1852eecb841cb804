/**
 * The spam filter's consumer: score a received message, attach the verdict
 * and the header lines to add, then route it — local recipients to
 * mailbox-store (`inbound.classified`), others to the outbound queue.
 * Publishes use msgIDs derived from the queue id, so a redelivery after a
 * crash publishes nothing twice.
 */
import { Events, type MailReceived, type VerdictReason } from '@mail/contracts';
import type { Bus } from '@mail/bus';
import type { Logger } from '@mail/telemetry';
import type { DnsblChecker, DnsblOutcome } from './dnsbl/dnsbl-checker';
import { decideVerdict, type PolicyThresholds } from './verdict/policy';

export interface ClassifyDependencies {
  bus: Bus;
  dnsbl: DnsblChecker;
  thresholds: PolicyThresholds;
  hostname: string;
  log: Logger;
  onVerdict?(action: string): void;
}

/** Rule names in the SpamAssassin style: `RCVD_IN_BL_EXAMPLE_TEST`. */
export function dnsblRuleName(zone: string): string {
  return `RCVD_IN_${zone.replace(/[^a-z0-9]+/gi, '_').toUpperCase()}`;
}

export function dnsblReasons(ip: string, outcome: DnsblOutcome): VerdictReason[] {
  const reasons: VerdictReason[] = outcome.results
    .filter((result) => result.listed)
    .map((result) => ({ rule: dnsblRuleName(result.zone), score: result.weight, detail: `${ip} listed in ${result.zone} (${result.codes.join(',')})` }));
  if (outcome.unchecked) reasons.push({ rule: 'DNSBL_UNCHECKED', score: 0, detail: 'no DNSBL zone answered; delivered unchecked' });
  return reasons;
}

export function createClassifyHandler(deps: ClassifyDependencies) {
  return async (mail: MailReceived): Promise<void> => {
    const outcome = await deps.dnsbl.check(mail.session.clientIp);
    const reasons = dnsblReasons(mail.session.clientIp, outcome);
    const verdict = decideVerdict(reasons, deps.thresholds, new Date(), deps.hostname);
    deps.log.info({ queueId: mail.queueId, action: verdict.action, score: verdict.score, reasons: verdict.reasons }, 'message classified');
    deps.onVerdict?.(verdict.action);

    const local = mail.envelope.recipients.filter((r) => r.route === 'local');
    const remote = mail.envelope.recipients.filter((r) => r.route === 'remote');
    if (local.length > 0) {
      await deps.bus.publish(
        Events.mailClassified,
        { ...mail, envelope: { ...mail.envelope, recipients: local }, verdict },
        `${mail.queueId}:classified`,
      );
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
        },
        `${mail.queueId}:outbound`,
      );
    }
  };
}
