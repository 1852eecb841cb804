/**
 * Sends delivery status notifications: builds the RFC 3464 report, stores it
 * in the object store and hands it to the pipeline as a new message from
 * the null reverse-path `<>` (RFC 5321 §4.5.5), addressed to the original
 * envelope sender. Where it goes depends on who the sender is, which only
 * mailbox-store knows (`directory.resolve`):
 * - a user of ours: published as `inbound.received` with a local recipient,
 *   so it takes the path of any arriving message (spam-filter, then
 *   mailbox-store); its origin is this relay (HELO = MAIL_HOSTNAME,
 *   client 127.0.0.1, listener `submission`: made inside the system);
 * - another domain: published as `outbound.queued` for this relay to deliver;
 * - an unknown user of one of our domains: nobody could read it; dropped
 *   with a warning (a notice about a notice would loop).
 * Idempotent: the notice's queue id derives from the message's, and the
 * publishes carry msgIDs derived from it.
 */
import { Events, Requests, type OutboundQueued } from '@mail/contracts';
import type { Bus } from '@mail/bus';
import type { Logger } from '@mail/telemetry';
import type { DeliveryNotifier, NoticeAction, NoticeRecipient } from '../queue/delivery-notifier';
import { noticeQueueId } from './notice-id';
import { wantsNotice } from './notify-policy';
import { traceHeaderBytes } from '../delivery/message-content';
import { buildReport, type ReturnedContent } from './report-message';
import { returnedContent } from './returned-content';

export interface DsnNotifierDependencies {
  readonly bus: Pick<Bus, 'publish' | 'request' | 'bodies'>;
  /** MAIL_HOSTNAME: the Reporting-MTA and the notice's origin. */
  readonly hostname: string;
  /** OUTBOUND_MAX_AGE, for Will-Retry-Until in delay notices. */
  readonly maxAgeMs: number;
  readonly log: Pick<Logger, 'info' | 'warn'>;
}

export class DsnNotifier implements DeliveryNotifier {
  constructor(private readonly deps: DsnNotifierDependencies) {}

  async notify(message: OutboundQueued, action: NoticeAction, recipients: readonly NoticeRecipient[]): Promise<void> {
    const { mailFrom, recipients: envelope } = message.envelope;
    const dsnOf = new Map(envelope.map((r) => [r.address, r.dsn]));
    const wanted = recipients.filter((r) => wantsNotice(mailFrom, dsnOf.get(r.recipient), action));
    const log = { queueId: message.queueId, action, recipients: recipients.map((r) => r.recipient) };
    if (wanted.length === 0) {
      this.deps.log.info(log, mailFrom === '' ? 'no delivery status notification to the null sender' : 'no delivery status notification: NOTIFY does not ask for it');
      return;
    }
    const noticeId = noticeQueueId(
      message.queueId,
      action,
      wanted.map((r) => r.recipient),
    );
    const route = await this.deps.bus.request(Requests.resolveRecipient, { version: 1, address: mailFrom });
    if (route.result === 'unknown-user') {
      this.deps.log.warn({ ...log, noticeId, to: mailFrom }, 'delivery status notification dropped: the sender is not a user of this system');
      return;
    }
    const date = new Date(Math.max(...wanted.map((r) => Date.parse(r.at) || 0)));
    const report = buildReport({
      action,
      noticeId,
      hostname: this.deps.hostname,
      date,
      message,
      recipients: wanted,
      returned: await this.returned(message, action),
      retryUntil: new Date(Date.parse(message.queuedAt) + this.deps.maxAgeMs),
    });
    const body = await this.deps.bus.bodies.put(noticeId, [report.bytes]);
    const notice = { mailFrom: '', smtputf8: /[^\p{ASCII}]/u.test(mailFrom), bodyType: report.eightBit ? ('8BITMIME' as const) : ('7BIT' as const) };
    if (route.result === 'local') {
      await this.deps.bus.publish(
        Events.mailReceived,
        {
          version: 1,
          queueId: noticeId,
          receivedAt: date.toISOString(),
          session: { listener: 'submission', clientIp: '127.0.0.1', helo: this.deps.hostname, tls: false },
          envelope: { ...notice, recipients: [{ address: mailFrom, route: 'local', mailbox: route.mailboxes[0] ?? mailFrom }] },
          body,
          traceHeaders: [],
        },
        `${noticeId}:received`,
      );
    } else {
      await this.deps.bus.publish(
        Events.outboundQueued,
        { version: 1, queueId: noticeId, queuedAt: date.toISOString(), envelope: { ...notice, recipients: [{ address: mailFrom, route: 'remote' }] }, body, traceHeaders: [], localRecipients: 0 },
        `${noticeId}:outbound`,
      );
    }
    this.deps.log.info({ ...log, noticeId, to: mailFrom, route: route.result, size: body.size }, 'delivery status notification sent');
  }

  /** The original as RET asks; when its body cannot be read any more (expired), the trace header lines alone. */
  private async returned(message: OutboundQueued, action: NoticeAction): Promise<ReturnedContent> {
    try {
      return await returnedContent(message, action, (ref) => this.deps.bus.bodies.read(ref));
    } catch (error) {
      this.deps.log.warn({ err: error, queueId: message.queueId }, 'the original message cannot be read; the notice returns its trace header lines only');
      return { kind: 'headers', content: traceHeaderBytes(message.traceHeaders) };
    }
  }
}
