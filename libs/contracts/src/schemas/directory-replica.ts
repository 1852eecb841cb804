/**
 * The directory replica: what RCPT needs to know about the accounts, kept by
 * mailbox-store (their only owner) in the `directory` key-value bucket and
 * watched by every smtp-ingress, which answers recipients from its copy
 * instead of asking `directory.resolve` for each one.
 *
 * Keys (each token base64url, so any address fits a NATS subject token):
 *   domain.<domain>     a local domain
 *   address.<address>   a user or an alias at `local@domain`, or `@domain` for the catch-all
 *   complete            written after mailbox-store's first full rebuild: before it, the bucket says nothing
 * Addresses and domains are lower-cased, as mailbox-store stores and compares them.
 */
import { z } from 'zod';
import { IsoTimestamp, MailboxAddress } from './common';

export const DirectoryRecord = z.discriminatedUnion('kind', [
  z.object({ version: z.literal(1), kind: z.literal('domain') }),
  /** `quota`: the user has a storage limit, so whether the mailbox is full is asked of mailbox-store at RCPT. */
  z.object({ version: z.literal(1), kind: z.literal('user'), quota: z.boolean() }),
  /** An alias or catch-all: mail goes to those targets that are users (one level, recipient-resolution.ts). */
  z.object({ version: z.literal(1), kind: z.literal('alias'), targets: z.array(MailboxAddress).min(1).max(100) }),
  z.object({ version: z.literal(1), kind: z.literal('complete'), rebuiltAt: IsoTimestamp }),
]);
export type DirectoryRecord = z.infer<typeof DirectoryRecord>;

const token = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Keys of the directory bucket; every writer and reader builds them here. */
export const DirectoryKeys = {
  /** `domain` lower-cased. */
  domain: (domain: string): string => `domain.${token(domain)}`,
  /** `address` lower-cased: `local@domain`, or `@domain` for a catch-all. */
  address: (address: string): string => `address.${token(address)}`,
  complete: 'complete',
  /** What a key names: the inverse of the builders above; undefined for a key of no known form. */
  parse(key: string): { kind: 'domain' | 'address'; name: string } | { kind: 'complete' } | undefined {
    if (key === 'complete') return { kind: 'complete' };
    const dot = key.indexOf('.');
    const kind = key.slice(0, dot);
    if (dot <= 0 || (kind !== 'domain' && kind !== 'address')) return undefined;
    return { kind, name: Buffer.from(key.slice(dot + 1), 'base64url').toString('utf8') };
  },
} as const;
