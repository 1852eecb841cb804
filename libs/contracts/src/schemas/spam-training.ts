/**
 * Teaching the spam filter's classifier: messages sent by an operator
 * (`mailctl spam train`, request `spam.train`), the classifier's state
 * (`mailctl spam stats`, request `spam.stats`), and user feedback — a
 * message moved into or out of the Junk folder (event
 * `feedback.classified`, published by mailbox-store, consumed by
 * spam-filter). Learning is idempotent: the same message learned twice
 * counts once; learned again as the other class, it moves.
 */
import { z } from 'zod';
import { BodyReference, IsoTimestamp, MailboxAddress, QueueId } from './common';

/** What a message was learned as. */
export const SpamClass = z.enum(['spam', 'ham']);
export type SpamClass = z.infer<typeof SpamClass>;

/**
 * Octets of one message a training request carries at most. The classifier
 * reads no further than this (like spamc's 500 KB limit), so a sender
 * truncates longer messages; base64 keeps the request under NATS's default
 * 1 MiB payload limit.
 */
export const SPAM_TRAIN_MAX_OCTETS = 512 * 1024;

/** `mail.v1.spam.train`: learn one message as spam or ham. */
export const SpamTrainRequest = z.object({
  version: z.literal(1),
  class: SpamClass,
  /** The raw message (RFC 5322), base64, at most SPAM_TRAIN_MAX_OCTETS octets once decoded. */
  message: z
    .string()
    .min(1)
    .max(Math.ceil(SPAM_TRAIN_MAX_OCTETS / 3) * 4)
    .regex(/^[A-Za-z0-9+/]+=*$/, 'message must be base64'),
  /** The message's full size when `message` holds only its first octets. */
  truncatedFrom: z.number().int().positive().optional(),
  /** Where it came from (file name, mbox and index), for the log. */
  source: z.string().max(500).optional(),
});
export type SpamTrainRequest = z.infer<typeof SpamTrainRequest>;

/**
 * `learned`: new; `relearned`: it was known as the other class and moved;
 * `duplicate`: already known as this class, nothing changed;
 * `unusable`: no tokens (empty or unreadable message).
 */
export const SpamTrainResponse = z.object({
  outcome: z.enum(['learned', 'relearned', 'duplicate', 'unusable']),
  /** Distinct tokens the message gave. */
  tokens: z.number().int().nonnegative(),
  spamMessages: z.number().int().nonnegative(),
  hamMessages: z.number().int().nonnegative(),
});
export type SpamTrainResponse = z.infer<typeof SpamTrainResponse>;

/** Days of user feedback a stats request may ask for (spam-filter keeps the counts this long). */
export const SPAM_FEEDBACK_MAX_DAYS = 90;

/** `mail.v1.spam.stats`: what the filter knows. */
export const SpamStatsRequest = z.object({
  version: z.literal(1),
  /** Days of user feedback to report, today (UTC) included; 14 when absent. */
  feedbackDays: z.number().int().min(1).max(SPAM_FEEDBACK_MAX_DAYS).optional(),
});
export type SpamStatsRequest = z.infer<typeof SpamStatsRequest>;

export const DnsListZoneState = z.object({
  zone: z.string(),
  /** `ip`: DNSBL of client addresses (DNSBL_ZONES); `domain`: domain list (DBL_ZONES). */
  kind: z.enum(['ip', 'domain']),
  weight: z.number(),
  healthy: z.boolean(),
  /** Why it is out of use, or what the last self-test found. */
  detail: z.string().optional(),
  checkedAt: IsoTimestamp.optional(),
});
export type DnsListZoneState = z.infer<typeof DnsListZoneState>;

/** What users' moves said on one day (UTC): each message counted once per direction, however often its event was delivered. */
export const SpamFeedbackDay = z.object({
  /** `YYYY-MM-DD`, UTC. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Moved out of Junk (learned as ham): the filter's false positives. */
  falsePositives: z.number().int().nonnegative(),
  /** Moved into Junk (learned as spam): spam the filter missed. */
  missedSpam: z.number().int().nonnegative(),
});
export type SpamFeedbackDay = z.infer<typeof SpamFeedbackDay>;

export const SpamStatsResponse = z.object({
  spamMessages: z.number().int().nonnegative(),
  hamMessages: z.number().int().nonnegative(),
  /** Distinct tokens with a spam count, and with a ham count. */
  spamTokens: z.number().int().nonnegative(),
  hamTokens: z.number().int().nonnegative(),
  /** Messages of each class needed before the classifier is used. */
  minMessages: z.number().int().nonnegative(),
  /** Whether the classifier takes part in verdicts now. */
  active: z.boolean(),
  zones: z.array(DnsListZoneState),
  /** User feedback per day, oldest first, the request's feedbackDays of them (absent from a spam-filter that does not count it). */
  feedback: z.array(SpamFeedbackDay).optional(),
});
export type SpamStatsResponse = z.infer<typeof SpamStatsResponse>;

/** The message a feedback event is about: in the object store, or inline when small. */
export const FeedbackContent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stored'), body: BodyReference }),
  z.object({
    kind: z.literal('inline'),
    /** The raw message, base64, at most SPAM_TRAIN_MAX_OCTETS octets once decoded. */
    base64: z
      .string()
      .min(1)
      .max(Math.ceil(SPAM_TRAIN_MAX_OCTETS / 3) * 4)
      .regex(/^[A-Za-z0-9+/]+=*$/, 'base64 must be base64'),
  }),
]);
export type FeedbackContent = z.infer<typeof FeedbackContent>;

/**
 * `mail.v1.feedback.classified`: a user said what a message is by moving it
 * into Junk (`spam`) or out of Junk (`ham`). The publisher (mailbox-store)
 * puts the stored message — as the user sees it — in the object store under
 * a key of its own (or inline when ≤ SPAM_TRAIN_MAX_OCTETS); the object
 * store's TTL removes it. Publish with msgId `<messageId>:<verdict>:<at>`.
 */
export const FeedbackClassified = z.object({
  version: z.literal(1),
  /** The queue id the message arrived with, when known (for logs). */
  queueId: QueueId.optional(),
  user: MailboxAddress,
  verdict: SpamClass,
  at: IsoTimestamp,
  content: FeedbackContent,
});
export type FeedbackClassified = z.infer<typeof FeedbackClassified>;
