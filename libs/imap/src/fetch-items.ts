// FETCH data items (RFC 9051 §6.4.5): the attribute list with its macros,
// sections `BODY[1.2.HEADER.FIELDS (..)]`, partials `<origin.length>`, BINARY
// (RFC 3516 §4.1), MODSEQ and the CHANGEDSINCE / VANISHED modifiers (RFC 7162
// §3.1.4, §3.2.6); and the names these items take in the response.

import { decodeUtf8, type CommandScanner } from './command-scanner';
import { syntaxError } from './response-error';
import { isAtom } from './wire-string';

/** RFC 9051 §6.4.5 section-msgtext / section-text. */
export type SectionText = 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

/** A body section: part numbers, then optionally what of that part. `{ part: [] }` is the whole message. */
export interface Section {
  readonly part: readonly number[];
  readonly text?: SectionText;
  /** The field names of HEADER.FIELDS / HEADER.FIELDS.NOT, as the client wrote them. */
  readonly fields?: readonly string[];
}

/** RFC 9051 §6.4.5: `<origin.length>`. */
export interface Partial {
  readonly origin: number;
  readonly length: number;
}

/** One FETCH data item. */
export type FetchItem =
  | { readonly kind: 'FLAGS' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY' | 'UID' | 'MODSEQ' }
  /** RFC 3501 §6.4.5 (rev1): RFC822 = BODY[], RFC822.HEADER = BODY.PEEK[HEADER], RFC822.TEXT = BODY[TEXT]; answered under their own name. */
  | { readonly kind: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT' }
  /** BODY[...] / BODY.PEEK[...] (RFC 9051 §6.4.5) and BINARY[...] / BINARY.PEEK[...] (RFC 3516 §4.1, part numbers only). */
  | { readonly kind: 'section'; readonly binary: boolean; readonly peek: boolean; readonly section: Section; readonly partial?: Partial }
  /** RFC 3516 §4.1: the decoded size of a part. */
  | { readonly kind: 'BINARY.SIZE'; readonly part: readonly number[] };

/** The parsed arguments of FETCH. */
export interface FetchRequest {
  readonly items: readonly FetchItem[];
  /** RFC 7162 §3.1.4: only messages whose mod-sequence is above this. */
  readonly changedSince?: bigint;
  /** RFC 7162 §3.2.6: also report expunged UIDs (UID FETCH with CHANGEDSINCE only). */
  readonly vanished: boolean;
}

const SIMPLE = new Set(['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'UID', 'MODSEQ', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']);
// RFC 9051 §6.4.5: the macros
const MACROS: Record<string, readonly string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};
const isNameChar = (o: number): boolean => (o >= 0x41 && o <= 0x5a) || (o >= 0x61 && o <= 0x7a) || (o >= 0x30 && o <= 0x39) || o === 0x2e;
const MAX_PART_DEPTH = 64;

/** Parses what follows `FETCH sequence-set SP`. */
export function parseFetchRequest(s: CommandScanner, uid: boolean): FetchRequest {
  let items: FetchItem[];
  if (s.at(0x28)) items = s.list(() => parseFetchItem(s), { what: 'fetch items' });
  else {
    const first = s.word('a fetch item', isNameChar).toUpperCase();
    const macro = MACROS[first];
    items = macro === undefined ? [parseFetchItemNamed(first, s)] : macro.map((kind) => ({ kind }) as FetchItem);
  }
  let changedSince: bigint | undefined;
  let vanished = false;
  if (!s.atEnd()) {
    s.sp();
    s.list(
      () => {
        const name = s.atom('a fetch modifier').toUpperCase();
        if (name === 'CHANGEDSINCE') {
          s.sp();
          changedSince = s.number64('a mod-sequence');
        } else if (name === 'VANISHED') vanished = true;
        else throw syntaxError(`Unknown FETCH modifier ${name.slice(0, 40)}`);
      },
      { what: 'fetch modifiers' },
    );
  }
  // RFC 7162 §3.2.6: VANISHED only in UID FETCH and only with CHANGEDSINCE
  if (vanished && (!uid || changedSince === undefined)) throw syntaxError('VANISHED needs UID FETCH and CHANGEDSINCE');
  s.end();
  return { items, vanished, ...(changedSince === undefined ? {} : { changedSince }) };
}

function parseFetchItem(s: CommandScanner): FetchItem {
  return parseFetchItemNamed(s.word('a fetch item', isNameChar).toUpperCase(), s);
}

function parseFetchItemNamed(name: string, s: CommandScanner): FetchItem {
  if (!s.at(0x5b)) {
    if (SIMPLE.has(name)) return { kind: name } as FetchItem;
    throw syntaxError(`Unknown fetch item ${name.slice(0, 40)}`);
  }
  if (name === 'BODY' || name === 'BODY.PEEK') {
    const section = parseSection(s);
    const partial = parsePartial(s);
    return { kind: 'section', binary: false, peek: name === 'BODY.PEEK', section, ...(partial === undefined ? {} : { partial }) };
  }
  if (name === 'BINARY' || name === 'BINARY.PEEK' || name === 'BINARY.SIZE') {
    const section = parseSection(s);
    // RFC 3516 §6: section-binary = "[" [section-part] "]"
    if (section.text !== undefined) throw syntaxError('BINARY takes part numbers only');
    if (name === 'BINARY.SIZE') return { kind: 'BINARY.SIZE', part: section.part };
    const partial = parsePartial(s);
    return { kind: 'section', binary: true, peek: name === 'BINARY.PEEK', section, ...(partial === undefined ? {} : { partial }) };
  }
  throw syntaxError(`Unknown fetch item ${name.slice(0, 40)}`);
}

/** RFC 9051 §9: section = "[" [section-spec] "]". */
export function parseSection(s: CommandScanner): Section {
  s.expect(0x5b, '"["');
  if (s.accept(0x5d)) return { part: [] };
  const spec = s.word('a section', isNameChar);
  const pieces = spec.split('.');
  const part: number[] = [];
  // RFC 9051 §9: section-part = nz-number *("." nz-number)
  while (pieces.length > 0 && /^[0-9]+$/.test(pieces[0] as string)) {
    const n = Number(pieces.shift());
    if (n === 0 || n > 4_294_967_295) throw syntaxError('Part numbers start at 1');
    part.push(n);
  }
  if (part.length > MAX_PART_DEPTH) throw syntaxError('Section too deep');
  const textName = pieces.join('.').toUpperCase();
  if (textName === '') {
    s.expect(0x5d, '"]"');
    return { part };
  }
  // RFC 9051 §9: MIME only after a part number
  if (!['HEADER', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT', 'TEXT', 'MIME'].includes(textName) || (textName === 'MIME' && part.length === 0)) throw syntaxError(`Invalid section ${spec.slice(0, 40)}`);
  const text = textName as SectionText;
  if (text !== 'HEADER.FIELDS' && text !== 'HEADER.FIELDS.NOT') {
    s.expect(0x5d, '"]"');
    return { part, text };
  }
  s.sp();
  // RFC 9051 §9: header-list = "(" header-fld-name *(SP header-fld-name) ")"; header-fld-name = astring
  const fields = s.list(() => headerFieldName(s), { what: 'header fields' });
  s.expect(0x5d, '"]"');
  return { part, text, fields };
}

// RFC 5322 §3.6.8: field-name = 1*ftext, printable US-ASCII except ":"
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function headerFieldName(s: CommandScanner): string {
  const name = decodeUtf8(s.astring('a header field name'), 'header field name');
  if (!FIELD_NAME.test(name)) throw syntaxError('Invalid header field name');
  return name;
}

/** RFC 9051 §9: partial = "<" number64 "." nz-number64 ">". */
function parsePartial(s: CommandScanner): Partial | undefined {
  if (!s.accept(0x3c)) return undefined;
  const origin = Number(s.number64('a partial origin'));
  s.expect(0x2e, '"."');
  const length = Number(s.number64('a partial length'));
  if (length === 0) throw syntaxError('A partial length is non-zero');
  s.expect(0x3e, '">"');
  return { origin, length };
}

/** The section as it appears in the response name (RFC 9051 §7.5.2), e.g. `1.2.HEADER.FIELDS (Subject From)`. */
export function formatSection(section: Section): string {
  const parts = section.part.join('.');
  if (section.text === undefined) return parts;
  const head = parts === '' ? section.text : `${parts}.${section.text}`;
  if (section.fields === undefined) return head;
  // field names are printable US-ASCII (checked when parsed): an atom where possible, else quoted (RFC 9051 §9 astring)
  const names = section.fields.map((f) => (isAtom(f) ? f : `"${f.replace(/["\\]/g, '\\$&')}"`));
  return `${head} (${names.join(' ')})`;
}

/**
 * The name of a section item in the FETCH response (RFC 9051 §7.5.2):
 * `BODY[section]` or `BINARY[part]`, with `<origin>` when a partial was asked
 * for; `.PEEK` never appears in responses.
 */
export function formatSectionItemName(item: Extract<FetchItem, { kind: 'section' }>): string {
  const name = `${item.binary ? 'BINARY' : 'BODY'}[${formatSection(item.section)}]`;
  return item.partial === undefined ? name : `${name}<${item.partial.origin}>`;
}
