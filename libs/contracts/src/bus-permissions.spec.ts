import { describe, expect, it } from 'vitest';
import { serviceNames } from '@mail/service-catalog';
import { busPermissions, inboxPrefixOf } from './bus-permissions';
import { busParties, busRole } from './bus-roles';
import { Consumers, Events, Notices, ObjectStores, Requests } from './catalog';
import { BusNamespace } from './namespace';

const ns = new BusNamespace('mail');

describe('bus roles', () => {
  it('name every service and mailctl', () => {
    expect(busParties).toEqual([...serviceNames, 'mailctl']);
  });

  it('give every event a producer, every request a client, every consumer a stream its owner provisions', () => {
    for (const event of Object.values(Events)) expect(event.producers.length, event.name).toBeGreaterThan(0);
    for (const request of Object.values(Requests)) expect(request.clients.length, request.name).toBeGreaterThan(0);
    for (const consumer of Object.values(Consumers)) expect(busRole(consumer.owner).provisions).toContain(consumer.event.stream);
  });

  it('provision what a service publishes to or consumes from, and nothing for pop3-server and mailctl', () => {
    expect(busRole('smtp-ingress').provisions.map((s) => s.name)).toEqual(['INBOUND']);
    expect(busRole('spam-filter').provisions.map((s) => s.name)).toEqual(['INBOUND', 'OUTBOUND', 'FEEDBACK']);
    expect(busRole('pop3-server').provisions).toEqual([]);
    expect(busRole('mailctl').provisions).toEqual([]);
    expect(busRole('mailctl').provisionsDeadLetter).toBe(false);
  });

  it('name the body bucket the namespace gives', () => {
    expect(ns.objectStoreName(ObjectStores.bodies)).toBe(ns.bodyBucket());
  });
});

describe('bus permissions', () => {
  const of = (party: Parameters<typeof busPermissions>[1]) => busPermissions(ns, party);

  it('let only spam-filter and outbound-relay queue outbound mail', () => {
    const queued = ns.eventSubject(Events.outboundQueued);
    expect(busParties.filter((party) => of(party).publish.includes(queued))).toEqual(['spam-filter', 'outbound-relay']);
  });

  it('keep mailctl to its requests and to reading streams: no event, no key-value or object write, no ack', () => {
    const admin = of('mailctl');
    expect(admin.publish).toContain(ns.requestSubject(Requests.admin));
    expect(admin.publish).toContain(ns.requestSubject(Requests.relayQueue));
    for (const event of Object.values(Events)) expect(admin.publish).not.toContain(ns.eventSubject(event));
    expect(admin.publish.filter((s) => s.startsWith('mail.'))).toEqual(
      Object.values(Requests)
        .filter((r) => r.clients.includes('mailctl'))
        .map((r) => ns.requestSubject(r))
        .sort(),
    );
    expect(admin.publish.filter((s) => /^\$(KV|O|JS\.ACK)\.|STREAM\.(CREATE|UPDATE|PURGE)/.test(s))).toEqual([]);
    expect(admin.allowResponses).toBe(false);
  });

  it('let pop3-server ask mailbox-store and nothing else', () => {
    const pop3 = of('pop3-server');
    expect(pop3.publish.filter((s) => !s.startsWith('$JS.API.INFO'))).toEqual(
      [Requests.verifyCredentials, Requests.listMailbox, Requests.fetchChunk, Requests.fetchMessages, Requests.expunge, Requests.verifyApop].map((r) => ns.requestSubject(r)).sort(),
    );
    expect(pop3.subscribe).toEqual([`${inboxPrefixOf('pop3-server')}.>`]);
  });

  it('let a server subscribe to its requests and answer them; a durable consumer pull and ack only its own messages', () => {
    const store = of('mailbox-store');
    expect(store.allowResponses).toBe(true);
    expect(store.subscribe).toContain(ns.requestSubject(Requests.admin));
    expect(store.publish).toContain('$JS.API.CONSUMER.MSG.NEXT.MAIL_INBOUND.mailbox-store');
    expect(store.publish).toContain('$JS.ACK.MAIL_INBOUND.mailbox-store.>');
    expect(store.publish).not.toContain('$JS.ACK.MAIL_INBOUND.spam-filter.>');
    expect(store.publish).toContain('$KV.mail_directory_v1.>');
    expect(of('smtp-ingress').publish).not.toContain('$KV.mail_directory_v1.>');
  });

  it('let mailbox-store send mailbox.changed notices on each user’s subject and imap-server hear them and ask its requests', () => {
    const unkeyed = ns.noticeSubject(Notices.mailboxChanged);
    const perUser = ns.noticeKeySubjects(Notices.mailboxChanged);
    expect(perUser).toBe('mail.v1.mailbox.changed.*');
    expect(busParties.filter((party) => of(party).publish.includes(perUser))).toEqual(['mailbox-store']);
    // the unkeyed subject: a mailbox-store of the release before keys sends there, and imap-server still hears it (rolling update)
    expect(busParties.filter((party) => of(party).publish.includes(unkeyed))).toEqual(['mailbox-store']);
    expect(busParties.filter((party) => of(party).subscribe.includes(perUser))).toEqual(['imap-server']);
    const imap = of('imap-server');
    expect(imap.subscribe).toContain(unkeyed);
    expect(imap.publish).toContain(ns.requestSubject(Requests.selectFolder));
    expect(imap.publish).toContain(ns.requestSubject(Requests.fetchChunk));
    expect(imap.publish).not.toContain(ns.requestSubject(Requests.admin));
    expect(of('mailbox-store').subscribe).toContain(ns.requestSubject(Requests.appendMessage));
  });

  it('never subscribe to another party’s inbox or publish a wildcard outside the JetStream API, acks and buckets', () => {
    for (const party of busParties) {
      const permissions = of(party);
      expect(permissions.subscribe.filter((s) => s.startsWith('_INBOX'))).toEqual([`${inboxPrefixOf(party)}.>`]);
      expect(permissions.publish.filter((s) => s.includes('>') && !/^\$(JS\.API|JS\.ACK|JS\.FC|KV|O)\./.test(s))).toEqual([]);
    }
  });
});
