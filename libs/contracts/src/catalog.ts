/**
 * The catalog: every stream, event, request and consumer of the platform.
 *
 *   INBOUND   mail.v1.inbound.received    smtp-ingress → spam-filter
 *             mail.v1.inbound.classified  spam-filter  → mailbox-store
 *   OUTBOUND  mail.v1.outbound.queued     spam-filter  → outbound-relay
 *   EVENTS    mail.v1.delivery.events     every service → journey, bounces
 *   requests  mail.v1.directory.resolve / .auth.verify / .auth.apop / .mailbox.* / .admin
 *             mail.v1.relay.queue / .relay.dkim (outbound-relay, for mailctl)
 */
import {
  defineConsumer,
  defineEvent,
  defineRequest,
  defineStream,
} from './definitions';
import { AdminRequest, AdminResponse } from './schemas/admin';
import {
  ResolveRecipientRequest,
  ResolveRecipientResponse,
  VerifyApopRequest,
  VerifyApopResponse,
  VerifyCredentialsRequest,
  VerifyCredentialsResponse,
} from './schemas/directory';
import { DeliveryEvent, MailClassified, MailReceived, OutboundQueued } from './schemas/mail';
import { ScreenClientRequest, ScreenClientResponse } from './schemas/screening';
import { DkimRequest, DkimResponse, RelayQueueRequest, RelayQueueResponse } from './schemas/relay';
import {
  ExpungeRequest,
  ExpungeResponse,
  FetchChunkRequest,
  FetchChunkResponse,
  ListMailboxRequest,
  ListMailboxResponse,
} from './schemas/mailbox';

export const Streams = {
  inbound: defineStream({ name: 'INBOUND', subjectPattern: 'inbound.>', versions: [1], description: 'Accepted mail on its way to the mailboxes' }),
  outbound: defineStream({ name: 'OUTBOUND', subjectPattern: 'outbound.>', versions: [1], description: 'Mail waiting for remote delivery' }),
  events: defineStream({ name: 'EVENTS', subjectPattern: 'delivery.>', versions: [1], description: 'Per-recipient delivery outcomes' }),
} as const;

export const Events = {
  mailReceived: defineEvent({ stream: Streams.inbound, version: 1, name: 'inbound.received', schema: MailReceived }),
  mailClassified: defineEvent({ stream: Streams.inbound, version: 1, name: 'inbound.classified', schema: MailClassified }),
  outboundQueued: defineEvent({ stream: Streams.outbound, version: 1, name: 'outbound.queued', schema: OutboundQueued }),
  deliveryEvent: defineEvent({ stream: Streams.events, version: 1, name: 'delivery.events', schema: DeliveryEvent }),
} as const;

export const Requests = {
  resolveRecipient: defineRequest({
    version: 1,
    name: 'directory.resolve',
    request: ResolveRecipientRequest,
    response: ResolveRecipientResponse,
    queueGroup: 'mailbox-store',
  }),
  verifyCredentials: defineRequest({
    version: 1,
    name: 'auth.verify',
    request: VerifyCredentialsRequest,
    response: VerifyCredentialsResponse,
    queueGroup: 'mailbox-store',
  }),
  listMailbox: defineRequest({
    version: 1,
    name: 'mailbox.list',
    request: ListMailboxRequest,
    response: ListMailboxResponse,
    queueGroup: 'mailbox-store',
  }),
  fetchChunk: defineRequest({
    version: 1,
    name: 'mailbox.fetch',
    request: FetchChunkRequest,
    response: FetchChunkResponse,
    queueGroup: 'mailbox-store',
  }),
  expunge: defineRequest({
    version: 1,
    name: 'mailbox.expunge',
    request: ExpungeRequest,
    response: ExpungeResponse,
    queueGroup: 'mailbox-store',
  }),
  admin: defineRequest({ version: 1, name: 'admin', request: AdminRequest, response: AdminResponse, queueGroup: 'mailbox-store' }),
  verifyApop: defineRequest({
    version: 1,
    name: 'auth.apop',
    request: VerifyApopRequest,
    response: VerifyApopResponse,
    queueGroup: 'mailbox-store',
  }),
  /** smtp-ingress asks spam-filter whether a client may deliver (DNSBL reject during the session). */
  screenClient: defineRequest({
    version: 1,
    name: 'spam.screen',
    request: ScreenClientRequest,
    response: ScreenClientResponse,
    queueGroup: 'spam-filter',
  }),
  /** mailctl queue: what waits for remote delivery (list, show, retry, delete). */
  relayQueue: defineRequest({ version: 1, name: 'relay.queue', request: RelayQueueRequest, response: RelayQueueResponse, queueGroup: 'outbound-relay' }),
  /** mailctl dkim: DKIM signing keys, kept by the relay (generate, show, remove, list). */
  relayDkim: defineRequest({ version: 1, name: 'relay.dkim', request: DkimRequest, response: DkimResponse, queueGroup: 'outbound-relay' }),
} as const;

export const Consumers = {
  spamFilter: defineConsumer({ event: Events.mailReceived, durable: 'spam-filter', maxDeliver: 10, ackWaitMs: 30_000 }),
  mailboxStore: defineConsumer({ event: Events.mailClassified, durable: 'mailbox-store', maxDeliver: 10, ackWaitMs: 30_000 }),
  outboundRelay: defineConsumer({ event: Events.outboundQueued, durable: 'outbound-relay', maxDeliver: 50, ackWaitMs: 120_000 }),
} as const;
