/**
 * Reads the journey of a message from the streams with JetStream ordered
 * consumers (ephemeral, in memory, nothing left on the server): each stream
 * is read once from its first kept message, filtered by subject, keeping the
 * events of the wanted queue ids. The cost is one pass over what the streams
 * keep (max_age), which suits an operator's command, not a hot path.
 */
import type { Bus } from '@mail/bus';
import { Events, type EventDefinition, type MailReceived } from '@mail/contracts';
import { normalMessageId, type JourneyEvent, type TraceTarget } from './trace-command';
import { connectAsMailctl, type BusSettings } from './bus-settings';

const decoder = new TextDecoder();

function hasMessageId(mail: MailReceived, messageId: string): boolean {
  return mail.messageIdHeader !== undefined && normalMessageId(mail.messageIdHeader) === messageId;
}

/** Every payload of `events` (one stream) in stream order, decoded and validated; invalid ones are skipped. */
async function readStream(bus: Bus, events: readonly EventDefinition[], keep: (subject: string, payload: unknown) => void): Promise<void> {
  const stream = bus.ns.streamName(events[0]!.stream);
  const subjects = events.map((e) => bus.ns.eventSubject(e));
  const info = await bus.jsm.streams.info(stream, { subjects_filter: `${bus.ns.prefix}.>` });
  const counts = info.state.subjects ?? {};
  if (subjects.every((s) => (counts[s] ?? 0) === 0)) return;
  // One filter subject (servers before 2.10 take no list): the event's, or the stream's wildcard.
  const filter = subjects.length === 1 ? subjects[0]! : bus.ns.streamSubjects(events[0]!.stream)[0]!;
  const consumer = await bus.js.consumers.get(stream, { filter_subjects: filter });
  const messages = await consumer.consume({ max_messages: 256 });
  try {
    for await (const msg of messages) {
      const definition = events.find((e) => bus.ns.eventSubject(e) === msg.subject);
      if (definition) {
        try {
          const checked = definition.schema.safeParse(JSON.parse(decoder.decode(msg.data)));
          if (checked.success) keep(msg.subject, checked.data);
        } catch {
          // not JSON: not ours to show
        }
      }
      if (msg.info.pending === 0) break;
    }
  } finally {
    await messages.close();
  }
}

/** The events of every message the target names, by queue id (in stream order). */
export async function readJourneys(settings: BusSettings, target: TraceTarget): Promise<Map<string, JourneyEvent[]>> {
  const bus = await connectAsMailctl(settings);
  try {
    const journeys = new Map<string, JourneyEvent[]>();
    const wanted = (queueId: string) => journeys.get(queueId);
    if (target.kind === 'queue-id') journeys.set(target.queueId, []);
    const messageId = target.kind === 'message-id' ? normalMessageId(target.messageId) : undefined;
    const received = bus.ns.eventSubject(Events.mailReceived);
    await readStream(bus, [Events.mailReceived, Events.mailClassified], (subject, payload) => {
      const event = subject === received ? ({ kind: 'received', payload } as JourneyEvent) : ({ kind: 'classified', payload } as JourneyEvent);
      const { queueId } = event.payload;
      if (messageId !== undefined && event.kind === 'received' && hasMessageId(event.payload as MailReceived, messageId) && !journeys.has(queueId)) journeys.set(queueId, []);
      wanted(queueId)?.push(event);
    });
    if (journeys.size === 0) return journeys;
    await readStream(bus, [Events.outboundQueued], (_subject, payload) => {
      const event = { kind: 'queued', payload } as JourneyEvent;
      wanted(event.payload.queueId)?.push(event);
    });
    await readStream(bus, [Events.deliveryEvent], (_subject, payload) => {
      const event = { kind: 'delivery', payload } as JourneyEvent;
      wanted(event.payload.queueId)?.push(event);
    });
    return journeys;
  } finally {
    await bus.close();
  }
}
