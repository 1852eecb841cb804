/**
 * SEARCH (RFC 9051 §6.4.4) in SQL: the structured query of @mail/contracts
 * (schemas/imap-search.ts) as one condition over a mailbox entry `e` and its
 * stored message `m`, with its parameters.
 *
 * - Flags, UIDs, sizes, modseqs (RFC 7162 §3.1.5) and dates are columns.
 *   Dates compare days in UTC: the internal date (received_at) for
 *   BEFORE/ON/SINCE, the Date: field parsed at delivery (header_date) for
 *   SENTBEFORE/SENTON/SENTSINCE (§6.4.4 disregards time and zone).
 * - From, To, Subject and Message-ID are the fields decoded at delivery
 *   (messages.header_from ...): a case-insensitive substring of those.
 * - Any other header field is looked for in the raw header section, at most
 *   its first SEARCH_HEADER_SCAN_OCTETS, unfolded (RFC 5322 §2.2.3).
 * - TEXT and BODY look in the message's search text (message_search_text,
 *   migration 004: TEXT in the header fields and the body's text, BODY in
 *   the body's text), decoded and folded by @mail/message-text: a substring
 *   of the SEARCH string folded the same way, with LIKE, which pg_trgm's
 *   GIN index serves. A message the indexer has not reached yet
 *   (search-index/search-indexer.ts) is scanned as before the index: the
 *   raw message (TEXT) or what follows its header section (BODY), at most
 *   SEARCH_TEXT_SCAN_OCTETS of it, undecoded. A query with TEXT or BODY
 *   needs `t` (message_search_text) joined: searchesText says so (every
 *   stored message has its row, from migration 004's trigger on).
 * - A TEXT or BODY key every match must satisfy (the query itself, or a
 *   key of its top-level AND) is also stated in a form the planner can
 *   serve from indexes, `(t.indexed_at IS NULL OR t.body_text LIKE ...)`:
 *   implied by the key, so it changes no answer, but for a rare string
 *   PostgreSQL then reads the few candidates from pg_trgm's index and the
 *   pending ones from the queue's index rather than every message of the
 *   folder (a common string still scans the folder: the planner's choice).
 *
 * Raw substrings match ignoring the case of ASCII letters (§6.4.4: SHOULD
 * for ASCII); other octets match exactly. Raw octets are compared through
 * PostgreSQL's `escape` encoding of bytea (NUL and high octets as `\nnn`,
 * `\` doubled), the needle encoded the same way, so any octet can be
 * searched for without decoding a charset. Search text matches ignoring
 * case beyond ASCII (@mail/message-text's fold).
 */
import { RemoteError } from '@mail/bus';
import { SEARCH_MAX_DEPTH, SYSTEM_FLAGS, type SearchKey } from '@mail/contracts';
import { foldSearchString } from '@mail/message-text';

/** Octets of the header section a HEADER search scans per message. */
export const SEARCH_HEADER_SCAN_OCTETS = 64 * 1024;
/** Octets of a message not indexed yet that a TEXT or BODY search scans: text past it is not found in such a message. */
export const SEARCH_TEXT_SCAN_OCTETS = 1024 * 1024;

/** Header fields whose decoded value delivery stored, by lower-case name. */
const storedFields: Readonly<Record<string, string>> = { from: 'm.header_from', to: 'm.header_to', subject: 'm.subject', 'message-id': 'm.message_id_header' };

/** lower() in the C collation changes ASCII letters only (and the escape encoding is all ASCII); translate() cost 50 times more. */
const lowerAscii = (sql: string) => `lower(${sql} COLLATE "C")`;
/** SQL: the first octets of the raw message, escape-encoded with ASCII lower-cased. */
const rawText = (octets: string) => lowerAscii(`encode(${octets}, 'escape')`);
/** SQL: where the empty line ending the header section starts within its scanned prefix; 0 if not found. */
const headerEnd = `position('\\x0d0a0d0a'::bytea IN substring(m.raw FROM 1 FOR ${SEARCH_HEADER_SCAN_OCTETS}))`;
const headerSection = `CASE WHEN ${headerEnd} = 0 THEN substring(m.raw FROM 1 FOR ${SEARCH_HEADER_SCAN_OCTETS}) ELSE substring(m.raw FROM 1 FOR ${headerEnd} + 1) END`;
const bodyPart = `CASE WHEN ${headerEnd} = 0 THEN ''::bytea ELSE substring(m.raw FROM ${headerEnd} + 4 FOR ${SEARCH_TEXT_SCAN_OCTETS}) END`;

/** Octets as PostgreSQL's encode(..., 'escape') writes them, ASCII lower-cased. */
export function escapedNeedle(text: string): string {
  let out = '';
  for (const octet of Buffer.from(text, 'utf8')) {
    if (octet === 0 || octet >= 0x80) out += `\\${octet.toString(8).padStart(3, '0')}`;
    else if (octet === 0x5c) out += '\\\\';
    else out += String.fromCharCode(octet >= 0x41 && octet <= 0x5a ? octet + 0x20 : octet);
  }
  return out;
}

/** A LIKE pattern finding `text` anywhere in search text: folded as the stored text is, LIKE's `%`, `_` and escape `\\` escaped. */
export function containsPattern(text: string): string {
  return `%${foldSearchString(text).replace(/[\\%_]/g, '\\$&')}%`;
}

/** A literal for a PostgreSQL advanced regular expression. */
export function regexLiteral(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** A search query as SQL over `e` and `m`; parameters are numbered after `firstParameter - 1` existing ones. */
export class SearchQuery {
  readonly parameters: unknown[] = [];
  readonly condition: string;
  #searchesText = false;
  /** Index-friendly forms of the TEXT/BODY keys every match satisfies, ANDed to the condition. */
  readonly #narrowing: string[] = [];

  constructor(
    key: SearchKey,
    private readonly firstParameter: number,
  ) {
    this.condition = [this.#compile(key, 0, true), ...this.#narrowing].join(' AND ');
  }

  /** The query has TEXT or BODY: it reads `t`, message_search_text left-joined on the entry's message. */
  get searchesText(): boolean {
    return this.#searchesText;
  }

  #param(value: unknown): string {
    this.parameters.push(value);
    return `$${this.firstParameter + this.parameters.length - 1}`;
  }

  /** `necessary`: every match satisfies this key (the root, and the keys of an AND that is). */
  #compile(key: SearchKey, depth: number, necessary: boolean): string {
    if (depth > SEARCH_MAX_DEPTH) throw new RemoteError('invalid-search', `a search nests at most ${SEARCH_MAX_DEPTH} levels`);
    if ('all' in key) return 'TRUE';
    if ('and' in key) return `(${key.and.map((inner) => this.#compile(inner, depth + 1, necessary)).join(' AND ')})`;
    if ('or' in key) return `(${this.#compile(key.or[0], depth + 1, false)} OR ${this.#compile(key.or[1], depth + 1, false)})`;
    if ('not' in key) return `(NOT ${this.#compile(key.not, depth + 1, false)})`;
    // Leaves are never NULL, so NOT of a leaf is its complement (a message without a Date: is not SENTON, so NOT SENTON).
    if ('text' in key) return `coalesce(${this.#text(key.text, key.contains, necessary)}, false)`;
    return `coalesce(${this.#leaf(key)}, false)`;
  }

  #leaf(key: Exclude<SearchKey, { all: true } | { and: unknown } | { or: unknown } | { not: unknown } | { text: unknown }>): string {
    if ('uids' in key) {
      const lo = this.#param(key.uids.map((range) => Math.min(range.first, range.last)));
      const hi = this.#param(key.uids.map((range) => Math.max(range.first, range.last)));
      return `EXISTS (SELECT 1 FROM unnest(${lo}::bigint[], ${hi}::bigint[]) AS r(lo, hi) WHERE e.imap_uid BETWEEN r.lo AND r.hi)`;
    }
    if ('flag' in key) return `${key.set ? '' : 'NOT '}${this.#hasFlag(key.flag)}`;
    if ('date' in key) {
      const day = `(${key.date === 'internal' ? 'e.received_at' : 'm.header_date'} AT TIME ZONE 'UTC')::date`;
      const op = { before: '<', on: '=', since: '>=' }[key.op];
      return `${day} ${op} ${this.#param(key.day)}::date`;
    }
    if ('size' in key) return `e.size ${key.size === 'larger' ? '>' : '<'} ${this.#param(key.octets)}`;
    if ('modseqAtLeast' in key) return `e.modseq >= ${this.#param(key.modseqAtLeast)}`;
    return this.#header(key.header.toLowerCase(), key.contains);
  }

  /** RFC 9051 §6.4.4 TEXT and BODY: in the search text once indexed, else in the raw octets. */
  #text(where: 'text' | 'body', contains: string, necessary: boolean): string {
    this.#searchesText = true;
    const folded = containsPattern(contains);
    const pattern = this.#param(folded);
    const indexed = where === 'text' ? `(t.header_text LIKE ${pattern} OR t.body_text LIKE ${pattern})` : `t.body_text LIKE ${pattern}`;
    // pg_trgm narrows only by a string with a trigram: three letters or digits in a row (ASCII ones are letters in every locale)
    if (necessary && /[a-z0-9]{3}/.test(folded)) this.#narrowing.push(`(t.indexed_at IS NULL OR ${indexed})`);
    const scanned = where === 'text' ? `substring(m.raw FROM 1 FOR ${SEARCH_TEXT_SCAN_OCTETS})` : bodyPart;
    const raw = `strpos(${rawText(scanned)}, ${this.#param(escapedNeedle(contains))}) > 0`;
    return `CASE WHEN t.indexed_at IS NULL THEN ${raw} ELSE ${indexed} END`;
  }

  /** RFC 9051 §2.3.2: system flags as stored (canonical spelling); keywords in any case. */
  #hasFlag(flag: string): string {
    const system = SYSTEM_FLAGS.find((known) => known.toLowerCase() === flag.toLowerCase());
    if (system !== undefined) return `e.flags @> ARRAY[${this.#param(system)}]::text[]`;
    return `EXISTS (SELECT 1 FROM unnest(e.flags) AS f(flag) WHERE lower(f.flag) = lower(${this.#param(flag)}))`;
  }

  /** RFC 9051 §6.4.4 HEADER: the field is present and its value contains the string (an empty string: present). */
  #header(name: string, contains: string): string {
    const column = storedFields[name];
    if (column !== undefined) return contains === '' ? `${column} IS NOT NULL` : `strpos(lower(${column}), lower(${this.#param(contains)})) > 0`;
    const unfolded = `regexp_replace(${rawText(headerSection)}, '\\r\\n([ \\t])', '\\1', 'g')`;
    const needle = contains === '' ? '' : `[^\\r\\n]*${regexLiteral(escapedNeedle(contains))}`;
    return `${unfolded} ~ ${this.#param(`(^|\\n)${regexLiteral(escapedNeedle(name))}[ \\t]*:${needle}`)}`;
  }
}
