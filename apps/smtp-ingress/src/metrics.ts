/**
 * The metrics of smtp-ingress, on the service's meter (exported on
 * /metrics): connections per listener, sessions open now per listener (the
 * gauge the smtp-ingress autoscaler reads), connections refused before the
 * greeting (limits, early talkers, PROXY problems), AUTH attempts by
 * result, screening verdicts, replies per class, accepted and rejected
 * messages, and the size of accepted messages. Counters of rare events
 * (refusals, rejections, AUTH results, lock-outs) are exported at 0 for
 * every known label set from start-up. The counters moved by every
 * connection, reply and message are counted in memory and read at each
 * scrape (observedCounter): a synchronous add per event cost about a tenth
 * of a millisecond of CPU per message.
 */
import { observedCounter, type Telemetry } from '@mail/telemetry';
import { AUTH_MECHANISMS } from './auth/auth-policy';
import { CONTENT_REJECTION_REASONS } from './message/content-policy';
import type { ListenerKind } from './session/session-state';

/** What the sessions report. */
export interface IngressMetrics {
  connectionOpened(listener: ListenerKind): void;
  /** A session object exists for a connection (counted once, by the server, whatever happens next). */
  sessionOpened(listener: ListenerKind): void;
  /** That session has ended: QUIT, drop, error, timeout, limit or drain. Exactly once per sessionOpened. */
  sessionClosed(listener: ListenerKind): void;
  /** Every reply written, by class (2xx…5xx). */
  replySent(code: number): void;
  messageAccepted(listener: ListenerKind, size: number): void;
  /** A message refused at the end of its data, or lost to a storage failure. */
  messageRejected(reason: string): void;
  /** A connection closed before or instead of its greeting, or by a session limit. */
  connectionRefused(listener: ListenerKind, reason: ConnectionRefusalReason): void;
  /** One AUTH command's result (brute-force lock-outs are `locked`). */
  authAttempt(mechanism: string, result: AuthResult): void;
  /** A failed AUTH brought a count to its limit: a lock-out begins (counted once across replicas). */
  authLockout(scope: 'ip' | 'user'): void;
  /** The screening verdict of an inbound connection. */
  clientScreened(action: 'accept' | 'reject' | 'unavailable'): void;
}

/** Why a connection ended early, as the `reason` label. */
export const CONNECTION_REFUSAL_REASONS = ['concurrency', 'rate', 'capacity', 'early-talker', 'proxy-untrusted', 'proxy-invalid', 'proxy-timeout', 'session-timeout', 'tls-handshake'] as const;
export type ConnectionRefusalReason = (typeof CONNECTION_REFUSAL_REASONS)[number];

/** The `result` label of AUTH attempts. */
export const AUTH_RESULTS = ['success', 'failure', 'locked', 'cancelled', 'malformed', 'unavailable'] as const;
export type AuthResult = (typeof AUTH_RESULTS)[number];

/** The `reason` label of refused messages: the content policy's reasons, and the queue failing. */
const MESSAGE_REJECTION_REASONS = [...CONTENT_REJECTION_REASONS, 'queue-failure'] as const;

const LISTENERS: readonly ListenerKind[] = ['inbound', 'submission', 'submissions'];

/** The size histogram's attributes, made once. */
const sizeAttributes: Readonly<Record<ListenerKind, { readonly listener: ListenerKind }>> = {
  inbound: { listener: 'inbound' },
  submission: { listener: 'submission' },
  submissions: { listener: 'submissions' },
};

// Message sizes: 1 KiB … 50 MiB
const SIZE_BUCKETS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 10_485_760, 26_214_400, 52_428_800];

/** Metrics on the given meter. */
export function createIngressMetrics(meter: Telemetry['meter']): IngressMetrics {
  const connections = observedCounter<ListenerKind>(meter, 'mail_smtp_connections_total', { description: 'SMTP connections accepted, by listener', label: 'listener' });
  // Read by the smtp-ingress HPA through prometheus-adapter (deploy/kubernetes/base/autoscaling.yaml)
  const sessions = observedCounter<ListenerKind>(meter, 'mail_smtp_sessions_active', { description: 'SMTP sessions open now, by listener', label: 'listener', upDown: true });
  const replies = observedCounter<string>(meter, 'mail_smtp_replies_total', { description: 'SMTP replies sent, by class', label: 'class' });
  const accepted = observedCounter<ListenerKind>(meter, 'mail_smtp_messages_accepted_total', { description: 'Messages accepted (queued), by listener', label: 'listener' });
  const rejected = meter.createCounter('mail_smtp_messages_rejected_total', { description: 'Messages refused at the end of data, by reason' });
  const refused = meter.createCounter('mail_smtp_connections_refused_total', { description: 'Connections refused or cut short by a limit or protocol abuse, by reason' });
  const auth = meter.createCounter('mail_smtp_auth_attempts_total', { description: 'AUTH commands, by mechanism and result (locked = brute-force lock-out)' });
  const lockouts = meter.createCounter('mail_smtp_auth_lockouts_total', { description: 'AUTH brute-force lock-outs begun, by scope (ip, user)' });
  const screened = observedCounter<'accept' | 'reject' | 'unavailable'>(meter, 'mail_smtp_client_screening_total', { description: 'DNSBL screening verdicts of inbound connections', label: 'action' });
  const sizes = meter.createHistogram('mail_smtp_message_size_bytes', {
    description: 'Size of accepted messages',
    unit: 'By',
    advice: { explicitBucketBoundaries: SIZE_BUCKETS },
  });
  // Counters of rare events exist at 0 from the start, for every known label set (rate() and alerts see them)
  for (const listener of LISTENERS) for (const reason of CONNECTION_REFUSAL_REASONS) refused.add(0, { listener, reason });
  for (const reason of MESSAGE_REJECTION_REASONS) rejected.add(0, { reason });
  for (const mechanism of AUTH_MECHANISMS) for (const result of AUTH_RESULTS) auth.add(0, { mechanism, result });
  for (const scope of ['ip', 'user']) lockouts.add(0, { scope });
  return {
    connectionOpened: (listener) => connections.add(1, listener),
    sessionOpened: (listener) => sessions.add(1, listener),
    sessionClosed: (listener) => sessions.add(-1, listener),
    replySent: (code) => replies.add(1, `${Math.floor(code / 100)}xx`),
    messageAccepted(listener, size) {
      accepted.add(1, listener);
      sizes.record(size, sizeAttributes[listener]);
    },
    messageRejected: (reason) => rejected.add(1, { reason }),
    connectionRefused: (listener, reason) => refused.add(1, { listener, reason }),
    authAttempt: (mechanism, result) => auth.add(1, { mechanism, result }),
    authLockout: (scope) => lockouts.add(1, { scope }),
    clientScreened: (action) => screened.add(1, action),
  };
}
