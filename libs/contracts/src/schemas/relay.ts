/**
 * Requests answered by outbound-relay (mailctl queue / dkim): the queue of
 * mail waiting for remote delivery, like Postfix's mailq and postsuper, and
 * the DKIM signing keys of our domains. Any relay replica answers; the state
 * lives in Redis, shared by the replicas.
 */
import { z } from 'zod';
import { DomainName } from './admin';
import { IsoTimestamp, QueueId, ReversePath } from './common';

/** A recipient of a queued message as the queue shows it. */
export const QueuedRecipient = z.object({
  address: z.string(),
  /** queued: not tried yet; deferred: a temporary failure, tried again later; throttled: waits for a domain slot. */
  state: z.enum(['queued', 'deferred', 'throttled', 'delivered', 'bounced', 'deleted']),
  /** The last reply or reason, for people. */
  detail: z.string().optional(),
  /** When it is tried next (unsettled recipients only). */
  retryAt: IsoTimestamp.optional(),
});
export type QueuedRecipient = z.infer<typeof QueuedRecipient>;

/** One message waiting for remote delivery. */
export const QueueEntry = z.object({
  queueId: QueueId,
  mailFrom: ReversePath,
  queuedAt: IsoTimestamp,
  /** Octets of the message. */
  size: z.number().int().nonnegative(),
  /** Delivery attempts made so far (attempts at a remote server, not redeliveries). */
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: IsoTimestamp.optional(),
  recipients: z.array(QueuedRecipient),
});
export type QueueEntry = z.infer<typeof QueueEntry>;

export const RelayQueueRequest = z.discriminatedUnion('op', [
  z.object({ version: z.literal(1), op: z.literal('list') }),
  z.object({ version: z.literal(1), op: z.literal('show'), queueId: QueueId }),
  /** Try the message's unsettled recipients now instead of at their scheduled time. */
  z.object({ version: z.literal(1), op: z.literal('retry'), queueId: QueueId }),
  /** Stop delivering: the unsettled recipients are discarded (outcome `deleted`), the sender is not notified. */
  z.object({ version: z.literal(1), op: z.literal('delete'), queueId: QueueId }),
]);
export type RelayQueueRequest = z.infer<typeof RelayQueueRequest>;

export const RelayQueueResponse = z.object({
  entries: z.array(QueueEntry),
  /** For retry and delete: what was done, for people. */
  message: z.string().optional(),
});
export type RelayQueueResponse = z.infer<typeof RelayQueueResponse>;

/** RFC 6376 §3.1: a selector is a dot-separated list of sub-domain labels. */
export const DkimSelector = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i, 'selector must be DNS labels such as mail2025');

export const DkimRequest = z.discriminatedUnion('op', [
  /** Create a signing key for the domain; refused when it has one, unless `replace`. */
  z.object({ version: z.literal(1), op: z.literal('generate'), domain: DomainName, selector: DkimSelector.optional(), replace: z.boolean().optional() }),
  z.object({ version: z.literal(1), op: z.literal('show'), domain: DomainName }),
  z.object({ version: z.literal(1), op: z.literal('remove'), domain: DomainName }),
  z.object({ version: z.literal(1), op: z.literal('list') }),
]);
export type DkimRequest = z.infer<typeof DkimRequest>;

/** A domain's public key: never the private key. */
export const DkimKeyInfo = z.object({
  domain: z.string(),
  selector: z.string(),
  algorithm: z.string(),
  createdAt: IsoTimestamp,
  /** Owner name of the TXT record: `<selector>._domainkey.<domain>`. */
  dnsName: z.string(),
  /** The TXT record's text, `v=DKIM1; k=rsa; p=...` (RFC 6376 §3.6.1). */
  dnsValue: z.string(),
});
export type DkimKeyInfo = z.infer<typeof DkimKeyInfo>;

export const DkimResponse = z.object({ keys: z.array(DkimKeyInfo), message: z.string().optional() });
export type DkimResponse = z.infer<typeof DkimResponse>;
