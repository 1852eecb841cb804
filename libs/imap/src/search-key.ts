// The SEARCH criteria as a typed tree (RFC 9051 §6.4.4, with MODSEQ from
// RFC 7162 §3.1.5 and OLDER/YOUNGER from RFC 5032), and an evaluator over a
// small view of a message. The service decides which parts it evaluates in
// memory and which it turns into SQL (text search through PostgreSQL); the
// rules of each key are stated here once.

import { calendarDayOf, compareCalendarDays, type CalendarDay, type ZonedDateTime } from './imap-date';
import { resolveSequenceSet, sequenceSetHas, type NormalizedSet, type SequenceSet } from './sequence-set';

/** A date comparison of SEARCH (RFC 9051 §6.4.4: BEFORE, ON, SINCE). */
export type DateComparison = 'before' | 'on' | 'since';

/** One search key. A search program is an implicit AND of its keys. */
export type SearchKey =
  | { readonly kind: 'all' }
  | { readonly kind: 'and'; readonly keys: readonly SearchKey[] }
  | { readonly kind: 'or'; readonly left: SearchKey; readonly right: SearchKey }
  | { readonly kind: 'not'; readonly key: SearchKey }
  /** A system flag (with its backslash, e.g. `\Seen`) or a keyword, present or absent. */
  | { readonly kind: 'flag'; readonly flag: string; readonly present: boolean }
  | { readonly kind: 'sequence-numbers'; readonly set: SequenceSet }
  | { readonly kind: 'uids'; readonly set: SequenceSet }
  /** BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (Date: header). */
  | { readonly kind: 'date'; readonly field: 'internal' | 'sent'; readonly comparison: DateComparison; readonly date: CalendarDay }
  /** LARGER/SMALLER: RFC822.SIZE strictly above/below. */
  | { readonly kind: 'size'; readonly comparison: 'larger' | 'smaller'; readonly octets: number }
  /** HEADER, and FROM/TO/CC/BCC/SUBJECT as their header field. */
  | { readonly kind: 'header'; readonly field: string; readonly value: string }
  /** BODY (the body) and TEXT (header and body). */
  | { readonly kind: 'text'; readonly where: 'body' | 'text'; readonly value: string }
  /** RFC 7162 §3.1.5: mod-sequence at least `modseq`. */
  | { readonly kind: 'modseq'; readonly modseq: bigint; readonly entry?: { readonly name: string; readonly type: 'priv' | 'shared' | 'all' } }
  /** RFC 5032 §3: internal date more than (OLDER) or at most (YOUNGER) `seconds` before now. */
  | { readonly kind: 'age'; readonly comparison: 'older' | 'younger'; readonly seconds: number };

/** What the evaluator reads of a message. */
export interface SearchableMessage {
  readonly sequenceNumber: number;
  readonly uid: number;
  readonly internalDate: ZonedDateTime;
  /** The Date: header, parsed (imap-date.ts parseHeaderDate); absent when missing or unreadable. */
  readonly sentDate?: ZonedDateTime;
  /** RFC822.SIZE. */
  readonly size: number;
  readonly modseq?: bigint;
  /** Flags compare case-insensitively (RFC 9051 §2.3.2); the view decides how it stores them. */
  hasFlag(flag: string): boolean;
  /** The values of every field with this name (case-insensitive), decoded for matching (RFC 2047 words, RFC 6532 UTF-8). */
  headerValues(field: string): readonly string[];
  /** RFC 9051 §6.4.4: whether the body (or the whole text) contains `value`; the service decides how (full-text index). */
  containsText(where: 'body' | 'text', value: string): boolean;
}

/** The mailbox a search runs in. */
export interface SearchContext {
  readonly messageCount: number;
  readonly highestUid: number;
  /** The saved result `$` (RFC 5182). */
  readonly saved?: NormalizedSet;
  /** Now, for OLDER/YOUNGER (milliseconds since the epoch). */
  readonly nowMs: number;
}

/**
 * RFC 9051 §6.4.4: "a message matches the key if the string is a substring
 * of the associated text. The matching SHOULD be case-insensitive for
 * characters within ASCII" — done here for all of Unicode.
 */
export function containsCaseInsensitive(text: string, value: string): boolean {
  return value === '' || text.toLowerCase().includes(value.toLowerCase());
}

/** A date test as RFC 9051 §6.4.4 states it: calendar days, time and zone disregarded. */
export function matchesDate(date: ZonedDateTime, comparison: DateComparison, day: CalendarDay): boolean {
  const order = compareCalendarDays(calendarDayOf(date), day);
  return comparison === 'before' ? order < 0 : comparison === 'on' ? order === 0 : order >= 0;
}

/**
 * A compiled search: sequence sets resolved once, then `matches(message)`
 * for each message of the mailbox.
 *
 * @throws ImapResponseError BAD at compile time for a sequence number beyond the mailbox.
 */
export function compileSearch(key: SearchKey, context: SearchContext): (message: SearchableMessage) => boolean {
  const sets = new Map<SearchKey, NormalizedSet>();
  const resolve = (k: SearchKey): void => {
    if (k.kind === 'sequence-numbers') sets.set(k, resolveSequenceSet(k.set, { kind: 'sequence', max: context.messageCount, ...(context.saved === undefined ? {} : { saved: context.saved }) }));
    else if (k.kind === 'uids') sets.set(k, resolveSequenceSet(k.set, { kind: 'uid', max: context.highestUid, ...(context.saved === undefined ? {} : { saved: context.saved }) }));
    else if (k.kind === 'and') k.keys.forEach(resolve);
    else if (k.kind === 'or') [k.left, k.right].forEach(resolve);
    else if (k.kind === 'not') resolve(k.key);
  };
  resolve(key);
  const test = (k: SearchKey, m: SearchableMessage): boolean => {
    switch (k.kind) {
      case 'all':
        return true;
      case 'and':
        return k.keys.every((x) => test(x, m));
      case 'or':
        return test(k.left, m) || test(k.right, m);
      case 'not':
        return !test(k.key, m);
      case 'flag':
        return m.hasFlag(k.flag) === k.present;
      case 'sequence-numbers':
        return sequenceSetHas(sets.get(k) ?? [], m.sequenceNumber);
      case 'uids':
        return sequenceSetHas(sets.get(k) ?? [], m.uid);
      case 'date': {
        const date = k.field === 'internal' ? m.internalDate : m.sentDate;
        // RFC 9051 §6.4.4 says nothing of a missing Date:; like Dovecot, such a message matches no SENT* key
        return date !== undefined && matchesDate(date, k.comparison, k.date);
      }
      case 'size':
        return k.comparison === 'larger' ? m.size > k.octets : m.size < k.octets;
      case 'header': {
        const values = m.headerValues(k.field);
        return values.some((v) => containsCaseInsensitive(v, k.value));
      }
      case 'text':
        return m.containsText(k.where, k.value);
      case 'modseq':
        return m.modseq !== undefined && m.modseq >= k.modseq;
      case 'age': {
        const age = (context.nowMs - m.internalDate.epochMs) / 1000;
        return k.comparison === 'older' ? age > k.seconds : age <= k.seconds;
      }
    }
  };
  return (message) => test(key, message);
}
