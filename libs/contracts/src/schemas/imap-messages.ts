/**
 * The messages of one folder as an IMAP server reads and changes them (RFC
 * 9051 SELECT, FETCH, STORE, EXPUNGE, COPY, MOVE, APPEND, SEARCH; RFC 7162
 * CONDSTORE/QRESYNC; RFC 4315 UIDPLUS), answered by mailbox-store. Message
 * octets are read with the maildrop requests (mailbox.fetch, .fetch-many)
 * by the entry `key` FETCH answers. Refusals travel as RemoteError codes:
 * unknown-user and unknown-folder for every request, others listed beside it.
 */
import { z } from 'zod';
import { BodyReference, IsoTimestamp, MailboxAddress } from './common';
import { FolderName, Flags, ImapUid, MessageFlags, ModSeq, SpecialUse, UidRange, UidSet } from './imap-common';
import { SearchKey } from './imap-search';

/** Most messages one SELECT page or CHANGES answer lists. */
export const SELECT_PAGE_MAX = 10_000;

const FolderAddress = { version: z.literal(1), user: MailboxAddress, folder: FolderName };

/** A folder's state (RFC 9051 §7.3.1 SELECT responses, RFC 7162 HIGHESTMODSEQ). */
export const FolderState = z.object({
  uidValidity: ImapUid,
  uidNext: z.number().int().min(1),
  highestModseq: ModSeq,
  specialUse: SpecialUse.nullable(),
});

/**
 * SELECT/EXAMINE: the folder's state and, paged in UID order after
 * `afterUid`, each message's UID, flags and modseq. Pages are read each in
 * its own snapshot: a client of many pages asks `messages.changes` since the
 * first page's highestModseq after the last one.
 */
export const SelectFolderRequest = z.object({ ...FolderAddress, afterUid: z.number().int().nonnegative().default(0), limit: z.number().int().min(1).max(SELECT_PAGE_MAX) });
export const SelectFolderResponse = FolderState.extend({
  /** RFC 9051 §7.4.1 EXISTS. */
  exists: z.number().int().nonnegative(),
  unseen: z.number().int().nonnegative(),
  /** UID of the first message without \Seen (RFC 9051 §7.1 UNSEEN of IMAP4rev1 is its sequence number). */
  firstUnseenUid: ImapUid.nullable(),
  messages: z.array(MessageFlags),
  /** More messages follow: ask again after the last UID of this page. */
  more: z.boolean(),
});

/** Octets of the header section FETCH returns at most per message, and per reply. */
export const FETCH_HEADER_MAX_OCTETS = 64 * 1024;
export const FETCH_META_MAX_HEADER_OCTETS = 512 * 1024;
/** Most messages one FETCH answer describes. */
export const FETCH_META_MAX_MESSAGES = 1000;

/**
 * FETCH of what is stored about messages (FLAGS, INTERNALDATE, RFC822.SIZE,
 * MODSEQ, and with `header` the header section, for ENVELOPE and
 * BODY[HEADER...]); CHANGEDSINCE (RFC 7162 §3.1.4.1) leaves out messages
 * not changed since. A reply stops at FETCH_META_MAX_MESSAGES or when the
 * headers reach FETCH_META_MAX_HEADER_OCTETS: `nextUid` says where to go on.
 */
export const FetchMetaRequest = z.object({ ...FolderAddress, uids: UidSet, changedSince: ModSeq.optional(), header: z.boolean().default(false) });
export const MessageMeta = MessageFlags.extend({
  /** The entry's key for mailbox.fetch and mailbox.fetch-many (its POP3 UIDL). */
  key: z.string(),
  /** RFC 9051 §2.3.3 internal date. */
  internalDate: IsoTimestamp,
  size: z.number().int().nonnegative(),
  /** Fields stored at delivery, decoded (RFC 2047): what a listing shows without the header. */
  summary: z.object({ from: z.string().nullable(), to: z.string().nullable(), subject: z.string().nullable(), date: IsoTimestamp.nullable(), messageId: z.string().nullable() }),
  /** Base64 of the header section (up to its empty line, at most FETCH_HEADER_MAX_OCTETS), when asked for. */
  header: z.string().optional(),
});
export type MessageMeta = z.infer<typeof MessageMeta>;
export const FetchMetaResponse = z.object({ messages: z.array(MessageMeta), nextUid: ImapUid.optional() });

/**
 * STORE (RFC 9051 §6.4.6) with UNCHANGEDSINCE (RFC 7162 §3.1.3): messages
 * changed after `unchangedSince` are left alone and listed in `failed`
 * (MODIFIED). Messages whose flags change get one new modseq; every
 * matched message is answered with its flags and modseq.
 */
export const StoreFlagsRequest = z.object({ ...FolderAddress, uids: UidSet, action: z.enum(['add', 'remove', 'replace']), flags: Flags, unchangedSince: ModSeq.optional() });
export const StoreFlagsResponse = z.object({ highestModseq: ModSeq, messages: z.array(MessageFlags), failed: z.array(ImapUid) });

/** EXPUNGE (RFC 9051 §6.4.3) of every \Deleted message, or UID EXPUNGE (RFC 4315 §2.1) of those of `uids`. */
export const ExpungeFolderRequest = z.object({ ...FolderAddress, uids: UidSet.optional() });
export const ExpungeFolderResponse = z.object({ expunged: z.array(ImapUid), highestModseq: ModSeq });

/**
 * COPY (RFC 9051 §6.4.7) or MOVE (RFC 6851) to `to`, answered with the
 * COPYUID mapping (RFC 4315 §3) in source UID order. A move into or out of
 * the \Junk folder teaches the spam filter, as `mailctl message move` does.
 * Codes: unknown-folder (also for `to`: TRYCREATE), over-quota (COPY).
 */
export const CopyMessagesRequest = z.object({ ...FolderAddress, uids: UidSet, to: FolderName, move: z.boolean() });
export const CopyMessagesResponse = z.object({
  uidValidity: ImapUid,
  copied: z.array(z.object({ from: ImapUid, to: ImapUid })),
  /** The source folder's highestModseq after a move's expunge. */
  highestModseq: ModSeq,
});

/** The largest message APPEND takes (RFC 9051 §6.3.12; the IMAP server refuses a bigger literal before reading it). */
export const APPEND_MAX_OCTETS = 64 * 1024 * 1024;

/**
 * APPEND: a message the client hands over, inline (small) or in the object
 * store (ObjectStores.bodies, written by the IMAP server, which deletes it
 * once answered). Codes: unknown-folder (TRYCREATE), over-quota, too-large,
 * corrupt-body.
 */
export const AppendMessageRequest = z.object({
  ...FolderAddress,
  content: BodyReference.extend({ size: z.number().int().nonnegative().max(APPEND_MAX_OCTETS) }),
  flags: Flags.default([]),
  internalDate: IsoTimestamp.optional(),
});
export const AppendMessageResponse = z.object({ uidValidity: ImapUid, uid: ImapUid, modseq: ModSeq });

/**
 * What changed since `since` (RFC 7162 §3.2.5 QRESYNC, §3.1.4 CHANGEDSINCE):
 * messages whose modseq is higher, and the UIDs expunged after it (VANISHED
 * (EARLIER)), within `uids` when given. `changed` is paged by UID like SELECT.
 */
export const FolderChangesRequest = z.object({
  ...FolderAddress,
  since: ModSeq,
  uids: UidSet.optional(),
  afterUid: z.number().int().nonnegative().default(0),
  limit: z.number().int().min(1).max(SELECT_PAGE_MAX),
});
export const FolderChangesResponse = FolderState.extend({
  changed: z.array(MessageFlags),
  more: z.boolean(),
  /** Expunged UIDs as ranges, ascending. */
  vanished: z.array(UidRange),
});

/** SEARCH (RFC 9051 §6.4.4): the UIDs of matching messages, as ascending ranges. */
export const SearchMessagesRequest = z.object({ ...FolderAddress, query: SearchKey });
export const SearchMessagesResponse = z.object({
  uids: z.array(UidRange),
  /** RFC 7162 §3.1.5: the highest modseq of the matches (0 when none). */
  highestModseq: ModSeq,
});
