/**
 * The seam where bounces leave the relay. When recipients fail permanently
 * (or run out of time), the relay publishes a `bounced` delivery event for
 * each and hands them to a BounceNotifier, whose job is to tell the sender:
 * an RFC 3464 delivery status notification, queued to the reverse-path
 * (never to the null sender `<>`, RFC 5321 §4.5.5). LoggingBounceNotifier
 * only writes a log line; DSN generation plugs in here.
 */
import type { OutboundQueued } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import type { SettledRecipient } from './done-store';

export interface BounceNotifier {
  /**
   * Told once the recipients are recorded as bounced. After a crash it may be
   * told again about the same recipients, so it must be idempotent (key its
   * output on queue id and recipient).
   */
  notify(message: OutboundQueued, bounced: readonly SettledRecipient[]): Promise<void>;
}

/** Writes one warning per message naming the bounced recipients; sends nothing. */
export class LoggingBounceNotifier implements BounceNotifier {
  constructor(private readonly log: Pick<Logger, 'warn'>) {}

  async notify(message: OutboundQueued, bounced: readonly SettledRecipient[]): Promise<void> {
    this.log.warn(
      {
        queueId: message.queueId,
        mailFrom: message.envelope.mailFrom,
        recipients: bounced.map((b) => ({ recipient: b.recipient, detail: b.detail })),
      },
      'recipients bounced; this notifier sends no delivery status notification',
    );
  }
}
