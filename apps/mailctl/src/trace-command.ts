/**
 * `mailctl trace <queue-id | Message-ID>`: the journey of one message across
 * the services, in time order, from the events the streams keep (INBOUND:
 * received, classified; OUTBOUND: queued; EVENTS: stored, rejected,
 * delivered, deferred, bounced, deleted). No tracing backend is needed; the
 * look-back is the streams' max_age (NATS_STREAM_MAX_AGE, default 7d).
 * Parsing and rendering are pure; message-journey.ts reads the streams.
 */
import { QueueId, type DeliveryEvent, type MailClassified, type MailReceived, type OutboundQueued } from '@mail/contracts';

export const traceUsage = `Usage: mailctl trace <queue-id | Message-ID>

  Prints what happened to one message, in order, across the services: who
  sent it (client IP, HELO, sender, recipients), the spam verdict with its
  score and reasons, and per recipient where it was stored or each relay
  attempt with the remote reply. A Message-ID is given with its angle
  brackets (quote it in the shell); it may match several queue ids.
  The events are kept as long as the streams' max_age (NATS_STREAM_MAX_AGE).
`;

/** What the user asked for: a queue id, or the Message-ID: header of the message. */
export type TraceTarget = { readonly kind: 'queue-id'; readonly queueId: string } | { readonly kind: 'message-id'; readonly messageId: string };

export type TraceInvocation = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'invalid'; readonly message: string } | { readonly kind: 'run'; readonly target: TraceTarget };

export function parseTraceCommand(args: readonly string[], help: boolean): TraceInvocation {
  if (help) return { kind: 'help', text: traceUsage };
  const [id, ...extra] = args;
  const hint = ' (see mailctl trace --help)';
  if (id === undefined) return { kind: 'invalid', message: `missing <queue-id | Message-ID>${hint}` };
  if (extra.length > 0) return { kind: 'invalid', message: `unexpected argument ${JSON.stringify(extra[0])}${hint}` };
  if (id.includes('@') || id.startsWith('<')) return { kind: 'run', target: { kind: 'message-id', messageId: normalMessageId(id) } };
  if (!QueueId.safeParse(id).success) return { kind: 'invalid', message: `invalid queue id ${JSON.stringify(id)}: expected 8-64 letters, digits, - or _, or a Message-ID with an @` };
  return { kind: 'run', target: { kind: 'queue-id', queueId: id } };
}

/** Message-IDs compare without angle brackets and surrounding space. */
export function normalMessageId(value: string): string {
  return value.trim().replace(/^<\s*/, '').replace(/\s*>$/, '');
}

/** One event of the journey, as read from a stream. */
export type JourneyEvent =
  | { readonly kind: 'received'; readonly payload: MailReceived }
  | { readonly kind: 'classified'; readonly payload: MailClassified }
  | { readonly kind: 'queued'; readonly payload: OutboundQueued }
  | { readonly kind: 'delivery'; readonly payload: DeliveryEvent };

function timeOf(event: JourneyEvent): string {
  switch (event.kind) {
    case 'received':
      return event.payload.receivedAt;
    case 'classified':
      return event.payload.verdict.checkedAt;
    case 'queued':
      return event.payload.queuedAt;
    case 'delivery':
      return event.payload.at;
  }
}

const stepOrder: Record<JourneyEvent['kind'], number> = { received: 0, classified: 1, queued: 2, delivery: 3 };

/** Time order; pipeline order breaks ties (clocks of different hosts may agree to the millisecond). */
export function orderJourney(events: readonly JourneyEvent[]): JourneyEvent[] {
  return [...events].sort((a, b) => timeOf(a).localeCompare(timeOf(b)) || stepOrder[a.kind] - stepOrder[b.kind]);
}

const reversePath = (path: string) => `<${path}>`;

function describe(event: JourneyEvent): { service: string; step: string; lines: string[] } {
  switch (event.kind) {
    case 'received': {
      const { session, envelope } = event.payload;
      const client = `${session.clientIp}${session.clientPort !== undefined ? `:${session.clientPort}` : ''}`;
      return {
        service: 'smtp-ingress',
        step: 'received',
        lines: [
          `from ${client} HELO ${session.helo || '(none)'} on ${session.listener}${session.tls ? ' with TLS' : ''}${session.authUser ? ` as ${session.authUser}` : ''}`,
          `MAIL FROM:${reversePath(envelope.mailFrom)}${event.payload.messageIdHeader ? `  Message-ID: ${event.payload.messageIdHeader}` : ''}`,
          ...envelope.recipients.map((r) => `RCPT TO:<${r.address}> ${r.route}${r.mailboxes ? ` → ${r.mailboxes.join(', ')}` : r.mailbox && r.mailbox !== r.address ? ` → ${r.mailbox}` : ''}`),
        ],
      };
    }
    case 'classified': {
      const { verdict } = event.payload;
      return {
        service: 'spam-filter',
        step: 'classified',
        lines: [
          `verdict ${verdict.action}, spam score ${verdict.score.toFixed(1)}`,
          ...verdict.reasons.map((r) => `${r.rule} ${r.score >= 0 ? '+' : ''}${r.score.toFixed(1)}${r.detail ? `  ${r.detail}` : ''}`),
        ],
      };
    }
    case 'queued':
      return { service: 'spam-filter', step: 'queued', lines: [`for relay to ${event.payload.envelope.recipients.map((r) => r.address).join(', ')}`] };
    case 'delivery': {
      const e = event.payload;
      const where = e.outcome === 'stored' ? `in mailbox ${e.recipient ?? '?'}` : `${e.recipient ?? ''}`;
      return { service: e.service, step: e.outcome, lines: [where, ...(e.detail ? [e.detail] : [])].filter((l) => l !== '') };
    }
  }
}

/** The journey as text: one block per message, one entry per event. */
export function renderJourney(queueId: string, events: readonly JourneyEvent[]): string {
  const out = [`Journey of ${queueId}:`];
  for (const event of orderJourney(events)) {
    const { service, step, lines } = describe(event);
    const [first = '', ...rest] = lines;
    out.push(`  ${timeOf(event)}  ${service.padEnd(14)} ${step.padEnd(10)} ${first}`.trimEnd());
    for (const line of rest) out.push(`${' '.repeat(54)}${line}`);
  }
  return `${out.join('\n')}\n`;
}
