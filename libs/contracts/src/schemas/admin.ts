/** Administration requests (mailctl), answered by mailbox-store. */
import { z } from 'zod';
import { MailboxAddress } from './common';

export const DomainName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i, 'domain must be a DNS name such as example.test');

export const AdminRequest = z.discriminatedUnion('op', [
  z.object({ version: z.literal(1), op: z.literal('domain.add'), domain: DomainName }),
  z.object({ version: z.literal(1), op: z.literal('domain.remove'), domain: DomainName }),
  z.object({ version: z.literal(1), op: z.literal('domain.list') }),
  z.object({ version: z.literal(1), op: z.literal('user.add'), address: MailboxAddress, password: z.string().min(1).max(1024) }),
  z.object({ version: z.literal(1), op: z.literal('user.passwd'), address: MailboxAddress, password: z.string().min(1).max(1024) }),
  z.object({ version: z.literal(1), op: z.literal('user.remove'), address: MailboxAddress }),
  z.object({ version: z.literal(1), op: z.literal('user.list'), domain: DomainName.optional() }),
]);
export type AdminRequest = z.infer<typeof AdminRequest>;

export const AdminResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), message: z.string(), rows: z.array(z.record(z.string(), z.string())).optional() }),
  /** `code` is machine-readable (`unknown-domain`, `duplicate-user`, ...); `message` is for people. */
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type AdminResponse = z.infer<typeof AdminResponse>;
