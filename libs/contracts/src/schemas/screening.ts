/**
 * Connection screening: smtp-ingress asks spam-filter, during the SMTP
 * session, whether a client may deliver at all (DNSBL listing above the
 * reject threshold). Answered fast from the Redis cache, with how long the
 * answer holds (smtp-ingress reuses it that long per client IP); on no
 * answer the ingress fails open.
 */
import { z } from 'zod';
import { VerdictReason } from './mail';

export const ScreenClientRequest = z.object({
  version: z.literal(1),
  clientIp: z.string().min(1).max(64),
  helo: z.string().max(255).optional(),
  mailFrom: z.string().max(320).optional(),
});
export type ScreenClientRequest = z.infer<typeof ScreenClientRequest>;

export const ScreenClientResponse = z.object({
  action: z.enum(['accept', 'reject']),
  score: z.number(),
  reasons: z.array(VerdictReason),
  /** For a reject: the public text of the 554 reply, naming the list. */
  text: z.string().max(400).optional(),
  /**
   * How many seconds the answer may be reused for the same client IP
   * without asking again: the least remaining DNS TTL of the list answers
   * it rests on. Absent or 0: ask again next time (a zone did not answer).
   */
  ttlSeconds: z.number().int().nonnegative().max(86_400).optional(),
});
export type ScreenClientResponse = z.infer<typeof ScreenClientResponse>;
