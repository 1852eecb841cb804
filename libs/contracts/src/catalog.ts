/**
 * The catalog: every stream, event, request and consumer of the platform.
 *
 *   INBOUND   mail.v1.inbound.received    smtp-ingress → spam-filter
 *             mail.v1.inbound.classified  spam-filter  → mailbox-store
 *   OUTBOUND  mail.v1.outbound.queued     spam-filter  → outbound-relay
 *   EVENTS    mail.v1.delivery.events     every service → journey, bounces
 *   FEEDBACK  mail.v1.feedback.classified mailbox-store → spam-filter (moves into / out of Junk)
 *   requests  mail.v1.directory.resolve / .auth.verify / .auth.apop / .mailbox.* / .admin
 *             mail.v1.relay.queue / .relay.dkim (outbound-relay, for mailctl)
 *             mail.v1.spam.screen (spam-filter, for smtp-ingress) / .spam.train / .spam.stats (spam-filter, for mailctl)
 *   buckets   mail_directory_v1 (mailbox-store → every smtp-ingress: the recipients RCPT accepts)
 */
import { defineBucket, defineConsumer, defineEvent, defineRequest, defineStream } from './definitions';
import { AdminRequest, AdminResponse } from './schemas/admin';
import { ResolveRecipientRequest, ResolveRecipientResponse, VerifyApopRequest, VerifyApopResponse, VerifyCredentialsRequest, VerifyCredentialsResponse } from './schemas/directory';
import { DirectoryRecord } from './schemas/directory-replica';
import { DeliveryEvent, MailClassified, MailReceived, OutboundQueued } from './schemas/mail';
import { ScreenClientRequest, ScreenClientResponse } from './schemas/screening';
import { FeedbackClassified, SpamStatsRequest, SpamStatsResponse, SpamTrainRequest, SpamTrainResponse } from './schemas/spam-training';
import { DkimRequest, DkimResponse, RelayQueueRequest, RelayQueueResponse } from './schemas/relay';
import { ExpungeRequest, ExpungeResponse, FetchChunkRequest, FetchChunkResponse, FetchMessagesRequest, FetchMessagesResponse, ListMailboxRequest, ListMailboxResponse } from './schemas/mailbox';

export const Streams = {
  inbound: defineStream({ name: 'INBOUND', subjectPattern: 'inbound.>', versions: [1], description: 'Accepted mail on its way to the mailboxes' }),
  outbound: defineStream({ name: 'OUTBOUND', subjectPattern: 'outbound.>', versions: [1], description: 'Mail waiting for remote delivery' }),
  events: defineStream({ name: 'EVENTS', subjectPattern: 'delivery.>', versions: [1], description: 'Per-recipient delivery outcomes' }),
  feedback: defineStream({ name: 'FEEDBACK', subjectPattern: 'feedback.>', versions: [1], description: 'What users said a message is (moved into or out of Junk)' }),
} as const;

export const Events = {
  mailReceived: defineEvent({ stream: Streams.inbound, version: 1, name: 'inbound.received', schema: MailReceived }),
  mailClassified: defineEvent({ stream: Streams.inbound, version: 1, name: 'inbound.classified', schema: MailClassified }),
  outboundQueued: defineEvent({ stream: Streams.outbound, version: 1, name: 'outbound.queued', schema: OutboundQueued }),
  deliveryEvent: defineEvent({ stream: Streams.events, version: 1, name: 'delivery.events', schema: DeliveryEvent }),
  /** mailbox-store → spam-filter: a message moved into Junk (spam) or out of it (ham); the classifier learns it. */
  feedbackClassified: defineEvent({ stream: Streams.feedback, version: 1, name: 'feedback.classified', schema: FeedbackClassified }),
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
  /** pop3-server: several small messages whole in one reply (RETR prefetch). */
  fetchMessages: defineRequest({
    version: 1,
    name: 'mailbox.fetch-many',
    request: FetchMessagesRequest,
    response: FetchMessagesResponse,
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
  /** mailctl spam train: learn one message (base64, ≤ 512 KiB) as spam or ham. */
  spamTrain: defineRequest({ version: 1, name: 'spam.train', request: SpamTrainRequest, response: SpamTrainResponse, queueGroup: 'spam-filter' }),
  /** mailctl spam stats: the classifier's counts and the DNS list zones' health. */
  spamStats: defineRequest({ version: 1, name: 'spam.stats', request: SpamStatsRequest, response: SpamStatsResponse, queueGroup: 'spam-filter' }),
  /** mailctl queue: what waits for remote delivery (list, show, retry, delete). */
  relayQueue: defineRequest({ version: 1, name: 'relay.queue', request: RelayQueueRequest, response: RelayQueueResponse, queueGroup: 'outbound-relay' }),
  /** mailctl dkim: DKIM signing keys, kept by the relay (generate, show, remove, list). */
  relayDkim: defineRequest({ version: 1, name: 'relay.dkim', request: DkimRequest, response: DkimResponse, queueGroup: 'outbound-relay' }),
} as const;

export const Consumers = {
  spamFilter: defineConsumer({ event: Events.mailReceived, durable: 'spam-filter', maxDeliver: 10, ackWaitMs: 30_000 }),
  mailboxStore: defineConsumer({ event: Events.mailClassified, durable: 'mailbox-store', maxDeliver: 10, ackWaitMs: 30_000 }),
  outboundRelay: defineConsumer({ event: Events.outboundQueued, durable: 'outbound-relay', maxDeliver: 50, ackWaitMs: 120_000 }),
  spamFeedback: defineConsumer({ event: Events.feedbackClassified, durable: 'spam-filter-feedback', maxDeliver: 10, ackWaitMs: 30_000 }),
} as const;

export const Buckets = {
  /** The accounts as RCPT sees them (schemas/directory-replica.ts): written by mailbox-store with each admin change, watched by smtp-ingress. */
  directory: defineBucket({ name: 'directory', version: 1, schema: DirectoryRecord, description: 'Local domains, users and aliases, replicated to smtp-ingress for RCPT' }),
} as const;
