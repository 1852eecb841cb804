/**
 * The queue id of a notice, derived from the original message's queue id,
 * the action and the recipients it reports: building the same notice again
 * (after a crash between sending it and recording that it was sent) gives
 * the same id, and everything downstream de-duplicates on it — JetStream on
 * the publish msgID, mailbox-store on the queue id, the relay's own
 * done-state for a notice that goes out again.
 */
import { createHash } from 'node:crypto';
import type { NoticeAction } from '../queue/delivery-notifier';

const letter: Record<NoticeAction, string> = { failed: 'F', delayed: 'D', relayed: 'R' };

/** `<original id, at most 40 chars>-<F|D|R><12 hex>`: a valid queue id (8-64 URL-safe characters). */
export function noticeQueueId(queueId: string, action: NoticeAction, recipients: readonly string[]): string {
  const digest = createHash('sha256')
    .update(`${queueId}\n${action}\n${action === 'delayed' ? '' : [...recipients].sort().join('\n')}`)
    .digest('hex')
    .slice(0, 12);
  return `${queueId.slice(0, 40)}-${letter[action]}${digest}`;
}
