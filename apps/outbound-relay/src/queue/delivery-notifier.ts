/**
 * The seam where delivery status notifications leave the relay. The relay
 * tells a DeliveryNotifier what happened to recipients — failed (bounced),
 * delayed, or relayed to a server that will not report success itself — and
 * the notifier decides, by the recipients' NOTIFY (RFC 3461 §4.1), whether
 * the sender hears of it, and sends the RFC 3464 report (src/dsn).
 */
import type { OutboundQueued } from '@mail/contracts';
import type { SmtpReply } from '@mail/smtp';
import type { RemoteServer } from '../delivery/recipient-outcome';

/** RFC 3464 §2.3.3 Action values the relay reports. */
export type NoticeAction = 'failed' | 'delayed' | 'relayed';

/** What the report says about one recipient. */
export interface NoticeRecipient {
  readonly recipient: string;
  /** One line for people: which server said what, or why no server was asked. */
  readonly detail: string;
  /** ISO time of the (last) attempt. */
  readonly at: string;
  readonly remote?: RemoteServer;
  readonly reply?: SmtpReply;
  /** Failed because the message ran out of time (RFC 3463 X.4.7). */
  readonly expired?: boolean;
}

export interface DeliveryNotifier {
  /**
   * Told after the outcomes are recorded. After a crash it may be told again
   * about the same recipients, so it must be idempotent: the notice's queue
   * id derives from the message's, the action and the recipients.
   */
  notify(message: OutboundQueued, action: NoticeAction, recipients: readonly NoticeRecipient[]): Promise<void>;
}
