/**
 * The catalog: every stream, event, request and consumer of the platform.
 *
 *   INBOUND   mail.v1.inbound.received    smtp-ingress → spam-filter
 *             mail.v1.inbound.classified  spam-filter  → mailbox-store
 *   OUTBOUND  mail.v1.outbound.queued     spam-filter  → outbound-relay
 *   EVENTS    mail.v1.delivery.events     mailbox-store, outbound-relay → journey, bounces
 *   FEEDBACK  mail.v1.feedback.classified mailbox-store → spam-filter (moves into / out of Junk)
 *   requests  mail.v1.folders.* / .messages.* (mailbox-store, for imap-server: catalog-imap.ts)
 *   notices   mail.v1.mailbox.changed.<user token> (mailbox-store → the imap-server replicas with that user's folder selected, core NATS)
 *   requests  mail.v1.directory.resolve / .auth.verify / .auth.apop / .mailbox.* / .admin
 *             mail.v1.relay.queue / .relay.dkim (outbound-relay, for mailctl)
 *             mail.v1.spam.screen (spam-filter, for smtp-ingress) / .spam.train / .spam.stats (spam-filter, for mailctl)
 *   buckets   mail_directory_v1 (mailbox-store → every smtp-ingress: the recipients RCPT accepts)
 *   objects   mail_bodies (smtp-ingress, outbound-relay → spam-filter, mailbox-store, outbound-relay)
 *
 * Each definition names the parties that produce, consume, serve, ask for,
 * write or read it: bus-roles.ts and bus-permissions.ts derive each party's
 * NATS permissions from these names alone.
 */
import { Notices, imapRequests } from './catalog-imap';
import { defineBucket, defineConsumer, defineEvent, defineObjectStore, defineRequest, defineStream } from './definitions';
import { AdminRequest, AdminResponse } from './schemas/admin';
import { ResolveRecipientRequest, ResolveRecipientResponse, VerifyApopRequest, VerifyApopResponse, VerifyCredentialsRequest, VerifyCredentialsResponse } from './schemas/directory';
import { DirectoryRecord } from './schemas/directory-replica';
import { DeliveryEvent, MailClassified, MailReceived, OutboundQueued } from './schemas/mail';
import { ScreenClientRequest, ScreenClientResponse } from './schemas/screening';
import { FeedbackClassified, SpamStatsRequest, SpamStatsResponse, SpamTrainRequest, SpamTrainResponse } from './schemas/spam-training';
import { DkimRequest, DkimResponse, RelayQueueRequest, RelayQueueResponse } from './schemas/relay';
import {
  ExpungeRequest,
  ExpungeResponse,
  FETCH_MESSAGES_MAX_OCTETS,
  FetchChunkRequest,
  FetchChunkResponse,
  FetchMessagesRequest,
  FetchMessagesResponse,
  ListMailboxRequest,
  ListMailboxResponse,
} from './schemas/mailbox';

export const Streams = {
  inbound: defineStream({ name: 'INBOUND', subjectPattern: 'inbound.>', versions: [1], description: 'Accepted mail on its way to the mailboxes', inspectors: ['mailctl'] }),
  outbound: defineStream({ name: 'OUTBOUND', subjectPattern: 'outbound.>', versions: [1], description: 'Mail waiting for remote delivery', inspectors: ['mailctl'] }),
  events: defineStream({ name: 'EVENTS', subjectPattern: 'delivery.>', versions: [1], description: 'Per-recipient delivery outcomes', inspectors: ['mailctl'] }),
  feedback: defineStream({ name: 'FEEDBACK', subjectPattern: 'feedback.>', versions: [1], description: 'What users said a message is (moved into or out of Junk)' }),
} as const;

export const Events = {
  mailReceived: defineEvent({ stream: Streams.inbound, version: 1, name: 'inbound.received', schema: MailReceived, producers: ['smtp-ingress', 'outbound-relay'] }),
  mailClassified: defineEvent({ stream: Streams.inbound, version: 1, name: 'inbound.classified', schema: MailClassified, producers: ['spam-filter'] }),
  outboundQueued: defineEvent({ stream: Streams.outbound, version: 1, name: 'outbound.queued', schema: OutboundQueued, producers: ['spam-filter', 'outbound-relay'] }),
  deliveryEvent: defineEvent({ stream: Streams.events, version: 1, name: 'delivery.events', schema: DeliveryEvent, producers: ['mailbox-store', 'outbound-relay'] }),
  /** mailbox-store → spam-filter: a message moved into Junk (spam) or out of it (ham); the classifier learns it. */
  feedbackClassified: defineEvent({ stream: Streams.feedback, version: 1, name: 'feedback.classified', schema: FeedbackClassified, producers: ['mailbox-store'] }),
} as const;

export { Notices };

export const Requests = {
  ...imapRequests,
  resolveRecipient: defineRequest({
    version: 1,
    name: 'directory.resolve',
    request: ResolveRecipientRequest,
    response: ResolveRecipientResponse,
    queueGroup: 'mailbox-store',
    clients: ['smtp-ingress', 'outbound-relay'],
  }),
  verifyCredentials: defineRequest({
    version: 1,
    name: 'auth.verify',
    request: VerifyCredentialsRequest,
    response: VerifyCredentialsResponse,
    queueGroup: 'mailbox-store',
    clients: ['smtp-ingress', 'pop3-server', 'imap-server'],
  }),
  listMailbox: defineRequest({
    version: 1,
    name: 'mailbox.list',
    request: ListMailboxRequest,
    response: ListMailboxResponse,
    queueGroup: 'mailbox-store',
    clients: ['pop3-server'],
  }),
  fetchChunk: defineRequest({
    version: 1,
    name: 'mailbox.fetch',
    request: FetchChunkRequest,
    response: FetchChunkResponse,
    queueGroup: 'mailbox-store',
    // imap-server: FETCH BODY[...] by the entry key messages.fetch answers
    clients: ['pop3-server', 'imap-server'],
  }),
  /** pop3-server: several small messages whole in one reply (RETR prefetch). */
  fetchMessages: defineRequest({
    version: 1,
    name: 'mailbox.fetch-many',
    request: FetchMessagesRequest,
    response: FetchMessagesResponse,
    queueGroup: 'mailbox-store',
    clients: ['pop3-server', 'imap-server'],
    // the `attached` messages' octets, when the request asks for `attachment`
    attachment: { maxOctets: FETCH_MESSAGES_MAX_OCTETS },
  }),
  expunge: defineRequest({
    version: 1,
    name: 'mailbox.expunge',
    request: ExpungeRequest,
    response: ExpungeResponse,
    queueGroup: 'mailbox-store',
    clients: ['pop3-server'],
  }),
  admin: defineRequest({ version: 1, name: 'admin', request: AdminRequest, response: AdminResponse, queueGroup: 'mailbox-store', clients: ['mailctl'] }),
  verifyApop: defineRequest({
    version: 1,
    name: 'auth.apop',
    request: VerifyApopRequest,
    response: VerifyApopResponse,
    queueGroup: 'mailbox-store',
    clients: ['pop3-server'],
  }),
  /** smtp-ingress asks spam-filter whether a client may deliver (DNSBL reject during the session). */
  screenClient: defineRequest({
    version: 1,
    name: 'spam.screen',
    request: ScreenClientRequest,
    response: ScreenClientResponse,
    queueGroup: 'spam-filter',
    clients: ['smtp-ingress'],
  }),
  /** mailctl spam train: learn one message (base64, ≤ 512 KiB) as spam or ham. */
  spamTrain: defineRequest({ version: 1, name: 'spam.train', request: SpamTrainRequest, response: SpamTrainResponse, queueGroup: 'spam-filter', clients: ['mailctl'] }),
  /** mailctl spam stats: the classifier's counts and the DNS list zones' health. */
  spamStats: defineRequest({ version: 1, name: 'spam.stats', request: SpamStatsRequest, response: SpamStatsResponse, queueGroup: 'spam-filter', clients: ['mailctl'] }),
  /** mailctl queue: what waits for remote delivery (list, show, retry, delete). */
  relayQueue: defineRequest({ version: 1, name: 'relay.queue', request: RelayQueueRequest, response: RelayQueueResponse, queueGroup: 'outbound-relay', clients: ['mailctl'] }),
  /** mailctl dkim: DKIM signing keys, kept by the relay (generate, show, remove, list). */
  relayDkim: defineRequest({ version: 1, name: 'relay.dkim', request: DkimRequest, response: DkimResponse, queueGroup: 'outbound-relay', clients: ['mailctl'] }),
} as const;

export const Consumers = {
  spamFilter: defineConsumer({ event: Events.mailReceived, durable: 'spam-filter', maxDeliver: 10, ackWaitMs: 30_000, owner: 'spam-filter' }),
  mailboxStore: defineConsumer({ event: Events.mailClassified, durable: 'mailbox-store', maxDeliver: 10, ackWaitMs: 30_000, owner: 'mailbox-store' }),
  outboundRelay: defineConsumer({ event: Events.outboundQueued, durable: 'outbound-relay', maxDeliver: 50, ackWaitMs: 120_000, owner: 'outbound-relay' }),
  spamFeedback: defineConsumer({ event: Events.feedbackClassified, durable: 'spam-filter-feedback', maxDeliver: 10, ackWaitMs: 30_000, owner: 'spam-filter' }),
} as const;

export const Buckets = {
  /** The accounts as RCPT sees them (schemas/directory-replica.ts): written by mailbox-store with each admin change, watched by smtp-ingress. */
  directory: defineBucket({
    name: 'directory',
    version: 1,
    schema: DirectoryRecord,
    description: 'Local domains, users and aliases, replicated to smtp-ingress for RCPT',
    writers: ['mailbox-store'],
    readers: ['smtp-ingress'],
  }),
} as const;

export const ObjectStores = {
  /**
   * Raw message bodies over INLINE_BODY_MAX_OCTETS (BusNamespace.bodyBucket()): smtp-ingress and the relay's delivery status
   * notifications write them, the consumers of the events that refer to them read them, and the last user deletes them
   * (smtp-ingress when the publish failed, the relay once every remote recipient is settled).
   */
  bodies: defineObjectStore({
    name: 'bodies',
    description: 'Raw message bodies referenced by mail events',
    // imap-server: an APPEND too large to travel inline (messages.append), deleted once answered
    writers: ['smtp-ingress', 'outbound-relay', 'imap-server'],
    readers: ['spam-filter', 'mailbox-store', 'outbound-relay'],
    deleters: ['smtp-ingress', 'outbound-relay', 'imap-server'],
  }),
} as const;
