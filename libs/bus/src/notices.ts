/**
 * Notices over core NATS (@mail/contracts NoticeDefinition): sent without a
 * stream or an ack, heard by every process listening (no queue group). For
 * wake-ups whose truth lives elsewhere (IDLE: the mailbox's changes since a
 * modseq), so a lost notice costs latency, never correctness.
 */
import type { NoticeDefinition, NoticePayload, BusNamespace } from '@mail/contracts';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodeWith, encodeJson } from './codec';
import { headersWithTraceContext } from './trace-headers';

type Log = { warn(obj: object, msg: string): void };

/**
 * Validate and send, a keyed notice on its key's subject; a closed or failed
 * connection is logged, never thrown (the change it announces is committed).
 */
export function sendNotice<N extends NoticeDefinition>(nc: NatsConnection, ns: BusNamespace, notice: N, payload: NoticePayload<N>, log: Log): void {
  const checked = notice.schema.safeParse(payload);
  if (!checked.success) throw new Error(`refusing to send an invalid ${ns.noticeSubject(notice)} notice: ${checked.error.message}`);
  const subject = ns.noticeSubject(notice, notice.keyOf?.(checked.data));
  try {
    nc.publish(subject, encodeJson(checked.data), { headers: headersWithTraceContext() });
  } catch (error) {
    log.warn({ err: error, subject }, 'notice not sent');
  }
}

/**
 * Hear the notices of `notice` until unsubscribed: those of one key when
 * `key` is given (a keyed notice), otherwise those sent without a key; an
 * invalid payload is logged and skipped.
 */
export function listenToNotices<N extends NoticeDefinition>(nc: NatsConnection, ns: BusNamespace, notice: N, handler: (payload: NoticePayload<N>) => void, log: Log, key?: string): Subscription {
  const subject = ns.noticeSubject(notice, key);
  return nc.subscribe(subject, {
    callback: (error, msg) => {
      if (error) return log.warn({ err: error, subject }, 'notice subscription failed');
      const decoded = decodeWith(notice.schema, msg.data);
      if (!decoded.ok) return log.warn({ subject, reason: decoded.reason }, 'invalid notice skipped');
      handler(decoded.value as NoticePayload<N>);
    },
  });
}
