/** Payloads of the mail pipeline: received → classified → stored / queued. */
import { z } from 'zod';
import { BodyReference, HeaderField, IsoTimestamp, MailboxAddress, QueueId, ReversePath } from './common';

/** RFC 3461 DSN parameters for one recipient. */
export const RecipientDsn = z.object({
  notify: z.array(z.enum(['NEVER', 'SUCCESS', 'FAILURE', 'DELAY'])).optional(),
  orcpt: z.string().max(500).optional(),
});

export const Recipient = z.object({
  /** The address as given in RCPT TO. */
  address: MailboxAddress,
  /** `local`: a mailbox of ours; `remote`: to relay (authenticated submission only). */
  route: z.enum(['local', 'remote']),
  /** For local recipients: the mailbox owner after alias resolution. */
  mailbox: MailboxAddress.optional(),
  /**
   * For local recipients whose address resolves to several mailboxes (an
   * alias with several targets): every owner. When present, mailbox-store
   * delivers to these and ignores `mailbox`; when neither is present it
   * resolves `address` itself at delivery.
   */
  mailboxes: z.array(MailboxAddress).min(1).max(100).optional(),
  dsn: RecipientDsn.optional(),
});
export type Recipient = z.infer<typeof Recipient>;

export const Envelope = z.object({
  mailFrom: ReversePath,
  recipients: z.array(Recipient).min(1).max(1000),
  /** RFC 6531 SMTPUTF8 given on MAIL FROM. */
  smtputf8: z.boolean().default(false),
  /** RFC 6152 / RFC 3030 BODY parameter. */
  bodyType: z.enum(['7BIT', '8BITMIME', 'BINARYMIME']).default('7BIT'),
  /** RFC 3461 RET and ENVID. */
  dsnReturn: z.enum(['FULL', 'HDRS']).optional(),
  dsnEnvelopeId: z.string().max(100).optional(),
});
export type Envelope = z.infer<typeof Envelope>;

export const SessionFacts = z.object({
  listener: z.enum(['inbound', 'submission']),
  clientIp: z.string().min(1),
  clientPort: z.number().int().min(0).max(65535).optional(),
  helo: z.string().max(255),
  tls: z.boolean(),
  /** Authenticated user (submission), never a password. */
  authUser: MailboxAddress.optional(),
});
export type SessionFacts = z.infer<typeof SessionFacts>;

/** `mail.v1.inbound.received`: a message smtp-ingress accepted and durably stored. */
export const MailReceived = z.object({
  version: z.literal(1),
  queueId: QueueId,
  receivedAt: IsoTimestamp,
  session: SessionFacts,
  envelope: Envelope,
  body: BodyReference,
  /** Header lines the ingress prepends (Received:), in order. */
  traceHeaders: z.array(HeaderField).default([]),
  /** The message's own Message-ID: field (RFC 5322 §3.6.4), if it has one, so `mailctl trace` can find it. */
  messageIdHeader: z.string().max(998).optional(),
  /**
   * True when the body's first line is text rather than a header field (a
   * message with no header section, like the seed's `Do you like ketchup?`).
   * Whoever prepends header fields then adds the empty line that separates
   * header from body (RFC 5322 §2.1), so the body stays body.
   */
  bodyLacksHeaderSection: z.boolean().optional(),
});
export type MailReceived = z.infer<typeof MailReceived>;

export const VerdictReason = z.object({
  rule: z.string().min(1).max(100),
  score: z.number(),
  detail: z.string().max(500).optional(),
});
export type VerdictReason = z.infer<typeof VerdictReason>;

export const SpamVerdict = z.object({
  action: z.enum(['deliver', 'junk', 'reject']),
  score: z.number(),
  reasons: z.array(VerdictReason),
  /** Header lines to prepend to the stored message (X-Spam-*, Authentication-Results). */
  headers: z.array(HeaderField),
  checkedAt: IsoTimestamp,
});
export type SpamVerdict = z.infer<typeof SpamVerdict>;

/** `mail.v1.inbound.classified`: a received message with the spam filter's verdict, for local delivery. */
export const MailClassified = MailReceived.extend({ verdict: SpamVerdict });
export type MailClassified = z.infer<typeof MailClassified>;

/** `mail.v1.outbound.queued`: a message with recipients to relay to other domains. */
export const OutboundQueued = z.object({
  version: z.literal(1),
  queueId: QueueId,
  queuedAt: IsoTimestamp,
  envelope: Envelope,
  body: BodyReference,
  traceHeaders: z.array(HeaderField).default([]),
  /**
   * How many local recipients the same message had: mailbox-store reads the
   * same body for them. outbound-relay deletes the body once every remote
   * recipient is settled only when this is 0; when absent (unknown) it leaves
   * the body to the object store's TTL.
   */
  localRecipients: z.number().int().nonnegative().optional(),
  /** As on MailReceived: the relay adds the empty line after the fields it prepends (RFC 5322 §2.1). */
  bodyLacksHeaderSection: z.boolean().optional(),
});
export type OutboundQueued = z.infer<typeof OutboundQueued>;

/** `mail.v1.delivery.events`: what happened to one recipient (journey, bounces, metrics). */
export const DeliveryEvent = z.object({
  version: z.literal(1),
  queueId: QueueId,
  at: IsoTimestamp,
  service: z.string(),
  recipient: MailboxAddress.optional(),
  /** `deleted`: an administrator removed it from the outbound queue (mailctl queue delete); the sender is not notified. */
  outcome: z.enum(['stored', 'delivered', 'deferred', 'bounced', 'rejected', 'dead-lettered', 'deleted']),
  detail: z.string().max(1000).optional(),
});
export type DeliveryEvent = z.infer<typeof DeliveryEvent>;
