/**
 * Building blocks of the mailbox requests an IMAP server makes (RFC 9051):
 * folder names, 32-bit UIDs and UID sets, flags, mod-sequences.
 */
import { z } from 'zod';

/** RFC 9051 §2.3.1.1: a UID is a non-zero 32-bit number. */
export const ImapUid = z.number().int().min(1).max(4_294_967_295);

/** RFC 7162 §3.1: a mod-sequence is a positive 63-bit number (JSON numbers carry 53 bits exactly: enough for any real mailbox). */
export const ModSeq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** An inclusive range of UIDs; `*` is sent as 4294967295 (RFC 9051 §9 seq-range: the order of the ends does not matter). */
export const UidRange = z.object({ first: ImapUid, last: ImapUid });
export type UidRange = z.infer<typeof UidRange>;

/** Most ranges one UID set may hold. */
export const UID_SET_MAX_RANGES = 1000;
export const UidSet = z.array(UidRange).min(1).max(UID_SET_MAX_RANGES);

/**
 * A folder's name as the user sees it: UTF-8 (RFC 9051 §5.1; imap-server
 * converts modified UTF-7 for IMAP4rev1 clients), levels separated by `/`
 * (the hierarchy delimiter), `INBOX` in any case meaning the inbox.
 */
export const FolderName = z
  .string()
  .min(1, 'a folder name is not empty')
  .max(500, 'a folder name has at most 500 characters')
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .refine((name) => !/[\u0000-\u001f\u007f*%]/.test(name), 'a folder name has no control characters and no wildcard (* %)')
  .refine((name) => !name.startsWith('/') && !name.split('/').slice(0, -1).includes(''), 'a folder name has no empty level (`//` or a leading `/`)');

/** The hierarchy delimiter of folder names (RFC 9051 §5.1.1). */
export const FOLDER_DELIMITER = '/';

/** RFC 9051 §2.3.2: the system flags a message can carry (\Recent is gone in IMAP4rev2). */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;

/** RFC 6154 §2: special-use attributes of folders. */
export const SpecialUse = z.enum(['\\All', '\\Archive', '\\Drafts', '\\Flagged', '\\Junk', '\\Sent', '\\Trash']);
export type SpecialUse = z.infer<typeof SpecialUse>;

/** A system flag (any case; stored canonically) or a keyword: an atom (RFC 9051 §9 flag-keyword). */
export const Flag = z
  .string()
  .min(1)
  .max(100)
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  .regex(/^\\?[^\s(){%*"\\\]\u0000-\u001f\u007f]+$/, 'a flag is a keyword atom or a system flag')
  .refine((flag) => !flag.startsWith('\\') || SYSTEM_FLAGS.some((known) => known.toLowerCase() === flag.toLowerCase()), 'unknown system flag');

/** Most flags one message carries (or one STORE sets). */
export const FLAGS_MAX = 100;
export const Flags = z.array(Flag).max(FLAGS_MAX);

/** A message's flags and mod-sequence, as SELECT, STORE and CONDSTORE see it. */
export const MessageFlags = z.object({ uid: ImapUid, flags: z.array(z.string()), modseq: ModSeq });
export type MessageFlags = z.infer<typeof MessageFlags>;
