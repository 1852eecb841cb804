/**
 * A user's folders as an IMAP server manages them (RFC 9051 §6.3: LIST,
 * STATUS, CREATE, DELETE, RENAME, SUBSCRIBE; RFC 6154 SPECIAL-USE; RFC 9208
 * QUOTA), answered by mailbox-store. Refusals travel as the bus's
 * RemoteError with the codes listed beside each request.
 */
import { z } from 'zod';
import { MailboxAddress } from './common';
import { FolderName, ImapUid, ModSeq, SpecialUse } from './imap-common';

/**
 * Every folder of a user (LIST, LSUB, STATUS): pattern matching (RFC 9051
 * §6.3.9 `*` and `%`) is left to the IMAP server. `names` restricts the
 * answer (STATUS of one folder); `counts` adds the message counts.
 * Codes: unknown-user.
 */
export const ListFoldersRequest = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  names: z.array(FolderName).max(1000).optional(),
  counts: z.boolean().default(false),
});
export const FolderCounts = z.object({
  messages: z.number().int().nonnegative(),
  /** Messages without \Seen. */
  unseen: z.number().int().nonnegative(),
  /** Messages with \Deleted (RFC 9051 §6.3.11 STATUS DELETED). */
  deleted: z.number().int().nonnegative(),
  /** Octets of every message (RFC 9051 §6.3.11 STATUS SIZE). */
  size: z.number().int().nonnegative(),
});
export const FolderListing = z.object({
  name: z.string(),
  specialUse: SpecialUse.nullable(),
  subscribed: z.boolean(),
  /** RFC 9051 §7.3.1 \HasChildren: another folder's name starts with this name and `/`. */
  hasChildren: z.boolean(),
  uidValidity: ImapUid,
  uidNext: z.number().int().min(1),
  highestModseq: ModSeq,
  counts: FolderCounts.optional(),
});
export type FolderListing = z.infer<typeof FolderListing>;
export const ListFoldersResponse = z.object({
  folders: z.array(FolderListing),
  /** Subscribed names with no folder now (RFC 9051 §6.3.7: subscriptions outlive folders; LIST shows them \NonExistent). */
  orphanSubscriptions: z.array(z.string()),
});

/**
 * CREATE (RFC 9051 §6.3.4; USE per RFC 6154 §3): missing superior levels
 * are created too; a trailing `/` is dropped. Codes: unknown-user,
 * folder-exists (also for any case of INBOX), special-use-taken,
 * invalid-folder.
 */
export const CreateFolderRequest = z.object({
  version: z.literal(1),
  user: MailboxAddress,
  name: z.string().min(1).max(501),
  specialUse: SpecialUse.optional(),
});
export const CreateFolderResponse = z.object({ name: z.string(), uidValidity: ImapUid });

/**
 * DELETE (RFC 9051 §6.3.5): the folder and its messages. INBOX and Junk
 * (where delivery files mail) cannot be deleted. A folder with inferior
 * names may be deleted (§6.3.5 permits it): they stay, and folders.list
 * then lists them without their parent (LIST shows the parent
 * \NonExistent, RFC 9051 §6.3.9); has-children is not used. Subscriptions
 * stay. Codes: unknown-user, unknown-folder, folder-protected.
 */
export const DeleteFolderRequest = z.object({ version: z.literal(1), user: MailboxAddress, name: FolderName });
export const DeleteFolderResponse = z.object({ deletedMessages: z.number().int().nonnegative() });

/**
 * RENAME (RFC 9051 §6.3.6): the folder and its children take the new name
 * (with new superior levels created as needed). Renaming INBOX moves its
 * messages into a new folder of that name and leaves INBOX empty. Junk
 * keeps its name (delivery files mail there). Codes: unknown-user,
 * unknown-folder, folder-exists, folder-protected, invalid-folder.
 */
export const RenameFolderRequest = z.object({ version: z.literal(1), user: MailboxAddress, from: FolderName, to: z.string().min(1).max(501) });
export const RenameFolderResponse = z.object({ renamed: z.array(z.object({ from: z.string(), to: z.string() })) });

/** SUBSCRIBE / UNSUBSCRIBE (RFC 9051 §6.3.7, §6.3.8): by name; a name with no folder may be subscribed. Codes: unknown-user. */
export const SubscribeFolderRequest = z.object({ version: z.literal(1), user: MailboxAddress, name: FolderName, subscribed: z.boolean() });
export const SubscribeFolderResponse = z.object({ changed: z.boolean() });

/** RFC 9208 GETQUOTA/GETQUOTAROOT: the user's one quota root, from users.quota_bytes. Codes: unknown-user. */
export const QuotaRequest = z.object({ version: z.literal(1), user: MailboxAddress });
export const QuotaResponse = z.object({
  /** Octets of every message the user holds (RFC 9208 §5.1 STORAGE counts in units of 1024 octets: the server rounds). */
  usedOctets: z.number().int().nonnegative(),
  /** Null: no limit. */
  limitOctets: z.number().int().nonnegative().nullable(),
  /** RFC 9208 §5.2 MESSAGE. */
  messages: z.number().int().nonnegative(),
});
