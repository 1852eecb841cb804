import { describe, expect, it } from 'vitest';
import { Events, Notices, Requests, Streams } from './catalog';
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

  it('gives a keyed notice one subject token per key, the same whatever the key’s case', () => {
    const bob = ns.noticeSubject(Notices.mailboxChanged, 'bob@example.test');
    expect(ns.noticeSubject(Notices.mailboxChanged)).toBe('mail.v1.mailbox.changed');
    expect(bob).toMatch(/^mail\.v1\.mailbox\.changed\.[0-9a-f]{32}$/);
    expect(ns.noticeSubject(Notices.mailboxChanged, 'Bob@Example.TEST')).toBe(bob);
    expect(ns.noticeSubject(Notices.mailboxChanged, 'alice@example.test')).not.toBe(bob);
    expect(Notices.mailboxChanged.keyOf?.({ version: 1, user: 'bob@example.test', folder: 'INBOX', uidValidity: 1, kind: 'added', uids: [1], truncated: false, modseq: 2 })).toBe('bob@example.test');
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
