// The lexical layer of structured header field bodies (RFC 5322 §3.2):
// whitespace and (nested) comments skipped (§3.2.2), quoted strings
// unquoted (§3.2.4), specials one character each, the rest as atoms (RFC
// 2045 §5.1 calls them tokens). Addresses (envelope.ts) and MIME fields
// (mime-header.ts) differ only in their specials and in domain literals.

export type FieldToken = { readonly kind: 'atom' | 'quoted' | 'special' | 'literal'; readonly text: string };

export interface FieldSyntax {
  /** Characters that stand alone: RFC 5322 §3.2.3 specials of an address, RFC 2045 §5.1 tspecials of a MIME field. */
  readonly specials: string;
  /** RFC 5322 §3.4.1: `[...]` is one domain literal (addresses), not specials. */
  readonly domainLiterals: boolean;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Splits `value` into atoms, quoted strings, specials and (with `domainLiterals`) domain literals. */
export function lexStructuredField(value: string, syntax: FieldSyntax): FieldToken[] {
  const tokens: FieldToken[] = [];
  const endsAtom = (c: string): boolean => isSpace(c) || c === '"' || c === '(' || (syntax.domainLiterals && c === '[') || syntax.specials.includes(c);
  let i = 0;
  while (i < value.length) {
    const c = value[i] as string;
    if (isSpace(c)) i++;
    else if (c === '(') {
      // RFC 5322 §3.2.2: comments nest, and a backslash quotes the next character
      let depth = 0;
      for (; i < value.length; i++) {
        if (value[i] === '\\') i++;
        else if (value[i] === '(') depth++;
        else if (value[i] === ')' && --depth === 0) break;
      }
      i++;
    } else if (c === '"') {
      let text = '';
      for (i++; i < value.length && value[i] !== '"'; i++) text += value[i] === '\\' && i + 1 < value.length ? value[++i] : value[i];
      i++;
      tokens.push({ kind: 'quoted', text });
    } else if (syntax.domainLiterals && c === '[') {
      const close = value.indexOf(']', i);
      const end = close < 0 ? value.length : close + 1;
      tokens.push({ kind: 'literal', text: value.slice(i, end) });
      i = end;
    } else if (syntax.specials.includes(c)) {
      tokens.push({ kind: 'special', text: c });
      i++;
    } else {
      const start = i;
      while (i < value.length && !endsAtom(value[i] as string)) i++;
      tokens.push({ kind: 'atom', text: value.slice(start, i) });
    }
  }
  return tokens;
}
