/**
 * Non-ASCII text in header fields: RFC 2047 encoded words
 * (`=?charset?B|Q?encoded-text?=`) and RFC 2231 extended parameter values
 * (`filename*=utf-8''%E2%82%AC.pdf`), decoded to text.
 *
 * Read leniently, as mail clients read them: an encoded word is decoded
 * wherever it stands (also inside a quoted string or a parameter value,
 * where RFC 2047 §5 does not allow it but senders put it), and what is not
 * an encoded word is left as written.
 */
import { decodeCharset } from './charset';

/** RFC 2047 §2 encoded-word; the charset may carry an RFC 2231 §5 language (`utf-8*en`). */
const encodedWord = /=\?([^?\s]{1,75})\?([BbQq])\?([^?\s]*)\?=/g;
/** RFC 2047 §6.2: linear whitespace between two adjacent encoded words is ignored. */
const onlyWhitespace = /^[ \t\r\n]*$/;

/** RFC 2047 §4.2: the Q encoding — `_` is a space, `=XX` an octet, anything else itself. */
function decodeQ(text: string): Buffer {
  const octets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) octets.push(0x20);
    else if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      octets.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x100) octets.push(c);
    else octets.push(...Buffer.from(text[i] as string, 'utf8'));
  }
  return Buffer.from(octets);
}

/** RFC 2047 §4.1: the B encoding is base64. */
function decodeB(text: string): Buffer {
  return Buffer.from(text, 'base64');
}

/**
 * The text of a header field body with its encoded words decoded. Adjacent
 * encoded words in the same charset are decoded together, so a character
 * whose octets a sender split across two words comes out whole.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let last = 0;
  let pending: { charset: string; octets: Buffer[] } | undefined;
  const flush = (): void => {
    if (pending !== undefined) out += decodeCharset(Buffer.concat(pending.octets), pending.charset);
    pending = undefined;
  };
  for (const match of value.matchAll(encodedWord)) {
    const [word, label = '', encoding = '', text = ''] = match;
    const charset = label.split('*')[0] as string;
    const octets = encoding === 'B' || encoding === 'b' ? decodeB(text) : decodeQ(text);
    const between = value.slice(last, match.index);
    if (pending !== undefined && onlyWhitespace.test(between)) {
      if (pending.charset.toLowerCase() === charset.toLowerCase()) pending.octets.push(octets);
      else {
        flush();
        pending = { charset, octets: [octets] };
      }
    } else {
      flush();
      out += between;
      pending = { charset, octets: [octets] };
    }
    last = match.index + word.length;
  }
  flush();
  return out + value.slice(last);
}

/** RFC 2231 §4: `charset'language'%XX...` — percent-encoded octets in the charset named first. */
export function decodeExtendedValue(value: string): string {
  const quoted = /^([^']*)'[^']*'([\s\S]*)$/.exec(value);
  const charset = quoted?.[1];
  const text = quoted?.[2] ?? value;
  const octets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      octets.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x100) octets.push(c);
    else octets.push(...Buffer.from(text[i] as string, 'utf8'));
  }
  return decodeCharset(Buffer.from(octets), charset);
}

/**
 * A MIME parameter as text (parameters as @mail/imap's MimeScanner gives
 * them: names lower-cased, RFC 2231 continuations joined, an extended one
 * named `name*`): the extended form when present, else the plain one with
 * any encoded words decoded.
 */
export function parameterText(parameters: readonly (readonly [string, string])[], name: string): string | undefined {
  const extended = parameters.find(([n]) => n === `${name}*`)?.[1];
  if (extended !== undefined) return decodeExtendedValue(extended);
  const plain = parameters.find(([n]) => n === name)?.[1];
  return plain === undefined ? undefined : decodeEncodedWords(plain);
}
