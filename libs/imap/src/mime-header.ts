// The MIME header fields IMAP reports (RFC 2045 §5 Content-Type with
// parameters, RFC 2183 Content-Disposition, RFC 3282 Content-Language),
// read leniently: comments are skipped (RFC 5322 §3.2.2), quoted strings
// unquoted, RFC 2231 §3 parameter continuations joined.

import type { ContentDisposition, ContentType, MimeParameters } from './mime-structure';
import { lexStructuredField, type FieldToken } from './structured-field';

type Token = FieldToken;

// RFC 2045 §5.1: tspecials
const TSPECIALS = '()<>@,;:\\"/[]?=';
const MAX_PARAMETERS = 64;

/** Splits a structured field value into tokens, quoted strings and specials, skipping whitespace and (nested) comments. */
const lex = (value: string): Token[] => lexStructuredField(value, { specials: TSPECIALS, domainLiterals: false });

/** Reads `*(";" attribute "=" value)` from `tokens[from]` on, skipping malformed ones; RFC 2231 §3 continuations joined. */
function parameters(tokens: Token[], from: number): MimeParameters {
  const raw: [string, string][] = [];
  let i = from;
  while (i < tokens.length && raw.length < MAX_PARAMETERS) {
    if (tokens[i]?.text !== ';' || tokens[i]?.kind !== 'special') {
      i++;
      continue;
    }
    const name = tokens[i + 1];
    const equals = tokens[i + 2];
    if (name?.kind !== 'atom' || equals?.text !== '=') {
      i++;
      continue;
    }
    // a value may be several tokens when a sender forgot the quotes (e.g. name=a b.pdf): join up to the next ";"
    let value = '';
    let j = i + 3;
    for (; j < tokens.length && !(tokens[j]?.kind === 'special' && tokens[j]?.text === ';'); j++) value += tokens[j]?.text ?? '';
    raw.push([name.text.toLowerCase(), value]);
    i = j;
  }
  return joinContinuations(raw);
}

/** RFC 2231 §3: `name*0`, `name*1`, ... (each possibly `*`-extended) join into one `name` (or `name*` when extended). */
function joinContinuations(raw: [string, string][]): MimeParameters {
  const out: [string, string][] = [];
  const groups = new Map<string, { extended: boolean; pieces: Map<number, string>; at: number }>();
  for (const [name, value] of raw) {
    const m = /^(.+?)\*([0-9]{1,3})(\*?)$/.exec(name);
    if (m === null) {
      out.push([name, value]);
      continue;
    }
    const base = m[1] as string;
    let group = groups.get(base);
    if (group === undefined) {
      group = { extended: false, pieces: new Map(), at: out.length };
      groups.set(base, group);
      out.push([base, '']);
    }
    if (m[3] === '*') group.extended = true;
    group.pieces.set(Number(m[2]), value);
  }
  for (const [base, group] of groups) {
    let value = '';
    for (let n = 0; group.pieces.has(n); n++) value += group.pieces.get(n);
    out[group.at] = [group.extended ? `${base}*` : base, value];
  }
  return out;
}

/** RFC 2045 §5.1: `type "/" subtype *(";" parameter)`; undefined when unreadable (then the default applies, RFC 2045 §5.2). */
export function parseContentType(value: string): ContentType | undefined {
  const tokens = lex(value);
  const [type, slash, subtype] = tokens;
  if (type?.kind !== 'atom' || slash?.text !== '/' || subtype?.kind !== 'atom') return undefined;
  return { type: type.text.toLowerCase(), subtype: subtype.text.toLowerCase(), parameters: parameters(tokens, 3) };
}

/** RFC 2183 §2: `disposition-type *(";" disposition-parm)`. */
export function parseContentDisposition(value: string): ContentDisposition | undefined {
  const tokens = lex(value);
  const [type] = tokens;
  if (type?.kind !== 'atom') return undefined;
  return { type: type.text.toLowerCase(), parameters: parameters(tokens, 1) };
}

/** RFC 3282 §2: `Content-Language: tag *("," tag)`. */
export function parseContentLanguage(value: string): string[] {
  return lex(value)
    .filter((t) => t.kind === 'atom')
    .map((t) => t.text);
}

/** RFC 2045 §6.1: the transfer encoding token, upper-cased; 7BIT when absent or empty. */
export function parseTransferEncoding(value: string | null): string {
  const token = value === null ? undefined : lex(value).find((t) => t.kind === 'atom');
  return token === undefined ? '7BIT' : token.text.toUpperCase();
}

/** The value of a parameter (names compare case-insensitively, RFC 2045 §5.1). */
export function parameterValue(parameters: MimeParameters, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return parameters.find(([n]) => n === wanted)?.[1];
}
