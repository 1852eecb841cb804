/**
 * SEARCH (RFC 9051 §6.4.4) as a structured query, answered in SQL by
 * mailbox-store. The IMAP server parses the command, resolves message
 * sequence numbers to UIDs and hands over this tree.
 */
import { z } from 'zod';
import { Flag, ModSeq, UidSet } from './imap-common';

/** A day (RFC 9051 §6.4.4 date: time and zone disregarded; compared in UTC). */
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Text searched for: case-insensitive substring (RFC 9051 §6.4.4). */
const Needle = z.string().max(1000);

export type SearchKey =
  | { readonly all: true }
  | { readonly and: readonly SearchKey[] }
  | { readonly or: readonly [SearchKey, SearchKey] }
  | { readonly not: SearchKey }
  | { readonly uids: readonly { first: number; last: number }[] }
  /** A flag set (or, with `set: false`, not set): SEEN, UNSEEN, KEYWORD, UNKEYWORD, ... */
  | { readonly flag: string; readonly set: boolean }
  /** BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (the Date: field). */
  | { readonly date: 'internal' | 'sent'; readonly op: 'before' | 'on' | 'since'; readonly day: string }
  | { readonly size: 'larger' | 'smaller'; readonly octets: number }
  /** HEADER name value, FROM, TO, CC, BCC, SUBJECT: an empty value matches every message with the field. */
  | { readonly header: string; readonly contains: string }
  /** TEXT (header and body) or BODY (body only). */
  | { readonly text: 'text' | 'body'; readonly contains: string }
  /** RFC 7162 §3.1.5 MODSEQ: modseq at least this. */
  | { readonly modseqAtLeast: number };

/** Deepest nesting of a query (AND/OR/NOT), as the IMAP parser bounds it. */
export const SEARCH_MAX_DEPTH = 32;

export const SearchKey: z.ZodType<SearchKey> = z.lazy(() =>
  z.union([
    z.object({ all: z.literal(true) }),
    z.object({ and: z.array(SearchKey).min(1).max(100) }),
    z.object({ or: z.tuple([SearchKey, SearchKey]) }),
    z.object({ not: SearchKey }),
    z.object({ uids: UidSet }),
    z.object({ flag: Flag, set: z.boolean() }),
    z.object({ date: z.enum(['internal', 'sent']), op: z.enum(['before', 'on', 'since']), day: Day }),
    z.object({ size: z.enum(['larger', 'smaller']), octets: z.number().int().nonnegative() }),
    z.object({ header: z.string().regex(/^[!-9;-~]{1,100}$/), contains: Needle }),
    z.object({ text: z.enum(['text', 'body']), contains: Needle }),
    z.object({ modseqAtLeast: ModSeq }),
  ]),
) as z.ZodType<SearchKey>;
