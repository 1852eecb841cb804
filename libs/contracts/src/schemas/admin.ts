/** Administration requests (mailctl), answered by mailbox-store. */
import { z } from 'zod';
import { MailboxAddress } from './common';

export const DomainName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i, 'domain must be a DNS name such as example.test');

/** An alias source: `local@domain`, or `@domain` for the catch-all of a domain. */
export const AliasAddress = z
  .string()
  .min(2)
  .max(320)
  .regex(/^[^\s<>@]*@[^\s<>@]+$/, 'alias must be local@domain, or @domain for a catch-all');

/** The folders a user can move messages between. */
export const UserFolder = z.enum(['INBOX', 'Junk']);
export type UserFolder = z.infer<typeof UserFolder>;

/** A mailbox entry's uid (POP3 UIDL): 32 lower-case hex digits. */
export const MessageUid = z.string().regex(/^[0-9a-f]{32}$/, 'uid must be 32 lower-case hex digits (as mailctl message list shows)');

export const AdminRequest = z.discriminatedUnion('op', [
  z.object({ version: z.literal(1), op: z.literal('domain.add'), domain: DomainName }),
  z.object({ version: z.literal(1), op: z.literal('domain.remove'), domain: DomainName }),
  z.object({ version: z.literal(1), op: z.literal('domain.list') }),
  z.object({ version: z.literal(1), op: z.literal('user.add'), address: MailboxAddress, password: z.string().min(1).max(1024) }),
  z.object({ version: z.literal(1), op: z.literal('user.passwd'), address: MailboxAddress, password: z.string().min(1).max(1024) }),
  z.object({ version: z.literal(1), op: z.literal('user.remove'), address: MailboxAddress }),
  z.object({ version: z.literal(1), op: z.literal('user.list'), domain: DomainName.optional() }),
  /** Storage limit in octets of everything the user holds; null removes it. */
  z.object({ version: z.literal(1), op: z.literal('user.quota'), address: MailboxAddress, bytes: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable() }),
  /** The user's APOP shared secret (RFC 1939 §7); null removes it (APOP then refused for the user). */
  z.object({ version: z.literal(1), op: z.literal('user.apop'), address: MailboxAddress, secret: z.string().min(1).max(255).nullable() }),
  /** Mail for `address` goes to every target (local users); `@domain` is the domain's catch-all. */
  z.object({ version: z.literal(1), op: z.literal('alias.add'), address: AliasAddress, targets: z.array(MailboxAddress).min(1).max(100) }),
  z.object({ version: z.literal(1), op: z.literal('alias.remove'), address: AliasAddress }),
  z.object({ version: z.literal(1), op: z.literal('alias.list'), domain: DomainName.optional() }),
  /** The user's messages (rows uid, folder, size, received, from, subject), oldest first; every folder unless one is named. */
  z.object({ version: z.literal(1), op: z.literal('message.list'), address: MailboxAddress, folder: UserFolder.optional() }),
  /** Move a message between INBOX and Junk; a real move tells spam-filter (event feedback.classified). */
  z.object({ version: z.literal(1), op: z.literal('message.move'), address: MailboxAddress, uid: MessageUid, folder: UserFolder }),
]);
export type AdminRequest = z.infer<typeof AdminRequest>;

export const AdminResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), message: z.string(), rows: z.array(z.record(z.string(), z.string())).optional() }),
  /** `code` is machine-readable (`unknown-domain`, `duplicate-user`, ...); `message` is for people. */
  z.object({ ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type AdminResponse = z.infer<typeof AdminResponse>;
