// ENVELOPE (RFC 9051 §7.5.2): date, subject, the address lists From,
// Sender, Reply-To, To, Cc, Bcc as (name adl mailbox host) quadruples with
// RFC 5322 §3.4 group syntax marked by (NIL NIL group NIL) ... (NIL NIL NIL
// NIL), In-Reply-To and Message-ID. Values stay as written (RFC 2047 words
// encoded); the wire encoder picks quoted strings or literals.

import type { EnvelopeFields } from './mime-structure';
import { lexStructuredField, type FieldToken } from './structured-field';
import type { WireWriter } from './wire-string';

/** One address of ENVELOPE, or a group marker. */
export interface EnvelopeAddress {
  readonly name: string | null;
  /** The obsolete source route (RFC 5322 §4.4). */
  readonly adl: string | null;
  readonly mailbox: string | null;
  readonly host: string | null;
}

type Token = FieldToken;

// RFC 5322 §3.2.3 specials that structure an address list ("." stays in atoms: dot-atoms read whole)
const lex = (value: string): Token[] => lexStructuredField(value, { specials: '<>,:;@', domainLiterals: true });

/** RFC 5322 §3.4.1 addr-spec from its tokens: the part after the last "@" is the host. */
function addrSpec(tokens: readonly Token[], name: string | null, adl: string | null): EnvelopeAddress {
  const text = tokens.map((t) => t.text).join('');
  const at = text.lastIndexOf('@');
  // RFC 9051 §7.5.2: a NIL host would read as a group marker; say what is missing instead (as Dovecot does)
  const mailbox = at < 0 ? text : text.slice(0, at);
  const host = at < 0 ? 'MISSING_DOMAIN' : text.slice(at + 1);
  return { name, adl, mailbox: mailbox === '' ? 'MISSING_MAILBOX' : mailbox, host: host === '' ? 'MISSING_DOMAIN' : host };
}

const phrase = (tokens: readonly Token[]): string | null => (tokens.length === 0 ? null : tokens.map((t) => t.text).join(' '));

/**
 * Parses an address list (RFC 5322 §3.4) leniently into ENVELOPE addresses,
 * groups as start and end markers (RFC 9051 §7.5.2).
 */
export function parseAddressList(value: string): EnvelopeAddress[] {
  const tokens = lex(value);
  const out: EnvelopeAddress[] = [];
  let pending: Token[] = [];
  let inGroup = false;
  const flush = (): void => {
    if (pending.length > 0) out.push(addrSpec(pending, null, null));
    pending = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind !== 'special' || token.text === '@') {
      pending.push(token);
      continue;
    }
    if (token.text === '<') {
      const close = tokens.findIndex((t, k) => k > i && t.kind === 'special' && t.text === '>');
      const inner = tokens.slice(i + 1, close < 0 ? tokens.length : close);
      // RFC 5322 §4.4: obs-route = obs-domain-list ":" before the addr-spec
      const colon = inner.findIndex((t) => t.kind === 'special' && t.text === ':');
      const route =
        colon < 0
          ? null
          : inner
              .slice(0, colon)
              .map((t) => t.text)
              .join('');
      const spec = colon < 0 ? inner : inner.slice(colon + 1);
      if (spec.length > 0) out.push(addrSpec(spec, phrase(pending), route));
      pending = [];
      i = close < 0 ? tokens.length : close;
    } else if (token.text === ':' && !inGroup) {
      // RFC 9051 §7.5.2: group start: mailbox is the group name, host NIL
      out.push({ name: null, adl: null, mailbox: phrase(pending) ?? '', host: null });
      pending = [];
      inGroup = true;
    } else if (token.text === ';' && inGroup) {
      flush();
      out.push({ name: null, adl: null, mailbox: null, host: null });
      inGroup = false;
    } else if (token.text === ',') flush();
  }
  flush();
  if (inGroup) out.push({ name: null, adl: null, mailbox: null, host: null });
  return out;
}

function writeAddresses(w: WireWriter, value: string | null): void {
  const addresses = value === null ? [] : parseAddressList(value);
  // RFC 9051 §7.5.2: an empty or absent list is NIL
  if (addresses.length === 0) {
    w.raw('NIL');
    return;
  }
  w.raw('(');
  for (const a of addresses) {
    w.raw('(').nstring(a.name).raw(' ').nstring(a.adl).raw(' ').nstring(a.mailbox).raw(' ').nstring(a.host).raw(')');
  }
  w.raw(')');
}

const present = (value: string | null): value is string => value !== null && value.trim() !== '';

/** Writes ENVELOPE (RFC 9051 §7.5.2). Sender and Reply-To default to From when absent or empty. */
export function writeEnvelope(w: WireWriter, fields: EnvelopeFields): void {
  w.raw('(').nstring(fields.date).raw(' ').nstring(fields.subject).raw(' ');
  writeAddresses(w, fields.from);
  w.raw(' ');
  writeAddresses(w, present(fields.sender) ? fields.sender : fields.from);
  w.raw(' ');
  writeAddresses(w, present(fields.replyTo) ? fields.replyTo : fields.from);
  for (const list of [fields.to, fields.cc, fields.bcc]) {
    w.raw(' ');
    writeAddresses(w, list);
  }
  w.raw(' ').nstring(fields.inReplyTo).raw(' ').nstring(fields.messageId).raw(')');
}
