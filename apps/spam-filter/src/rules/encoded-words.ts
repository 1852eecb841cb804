/**
 * RFC 2047 encoded words (`=?charset?B?...?=`, `=?charset?Q?...?=`) in
 * header field values, for the rules that read a display name or look at
 * how a subject was written. mailparser decodes the subject itself.
 */

const encodedWord = /=\?([^?\s]{1,40})\?([bq])\?([^?\s]*)\?=/gi;

/** Whether the value holds an encoded word. */
export function hasEncodedWord(value: string): boolean {
  encodedWord.lastIndex = 0;
  return encodedWord.test(value);
}

function decoderFor(charset: string): TextDecoder {
  try {
    // RFC 2231 §5: a charset may carry a language (`utf-8*en`).
    return new TextDecoder(charset.split('*')[0]);
  } catch {
    return new TextDecoder('latin1');
  }
}

function octetsOf(encoding: string, text: string): Uint8Array {
  if (encoding.toLowerCase() === 'b') return Buffer.from(text, 'base64');
  // RFC 2047 §4.2: `_` is a space, `=XX` an octet.
  const latin1 = text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(latin1, 'latin1');
}

/** The value with its encoded words decoded; whitespace between adjacent encoded words goes (RFC 2047 §6.2). */
export function decodeEncodedWords(value: string): string {
  return value.replace(/(\?=)\s+(?==\?)/g, '$1').replace(encodedWord, (_, charset: string, encoding: string, text: string) => decoderFor(charset).decode(octetsOf(encoding, text)));
}
