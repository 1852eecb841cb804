import { describe, expect, it } from 'vitest';
import { Events, Requests, Streams } from './catalog';
import { BusNamespace } from './namespace';

describe('BusNamespace', () => {
  const ns = new BusNamespace('mail');

  it('builds versioned subjects from the catalog', () => {
    expect(ns.eventSubject(Events.mailReceived)).toBe('mail.v1.inbound.received');
    expect(ns.requestSubject(Requests.resolveRecipient)).toBe('mail.v1.directory.resolve');
    expect(ns.streamName(Streams.inbound)).toBe('MAIL_INBOUND');
    expect(ns.streamSubjects(Streams.inbound)).toEqual(['mail.v1.inbound.>']);
    expect(ns.deadLetterSubject(Events.mailReceived)).toBe('mail.dead.v1.inbound.received');
  });

  it('refuses a namespace that would break subject tokens', () => {
    expect(() => new BusNamespace('a.b')).toThrow(/invalid bus namespace/);
    expect(() => new BusNamespace('A')).toThrow(/invalid bus namespace/);
  });

  it('keeps every event subject inside its stream', () => {
    for (const event of Object.values(Events)) {
      const [pattern] = ns.streamSubjects(event.stream);
      const prefix = (pattern as string).replace('>', '');
      expect(ns.eventSubject(event).startsWith(prefix)).toBe(true);
    }
  });
});
