import { defineContentRule } from './content-rule';

/** Charsets that cannot hold an octet over 127. */
const asciiOnly = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968']);

/**
 * RFC 2045 §5.2: a text part without a charset parameter is US-ASCII, and
 * RFC 2046 §4.1.2 makes US-ASCII the default; octets over 127 in such a part
 * (sent as 7bit, 8bit or binary) are in a charset nobody declared — what
 * mass-mailing software writes, while mail clients declare what they send.
 */
export default defineContentRule({
  name: 'MIME_8BIT_UNDECLARED',
  score: 0.5,
  description: 'A text part holds octets over 127 but declares no charset, or US-ASCII.',
  test: (view) => {
    // Mail older than MIME (RFC 2045 §4: no MIME-Version) carried 8-bit text by local convention; only MIME mail must declare it.
    if (view.header('mime-version') === undefined) return false;
    const part = view.textParts.find((p) => (p.charset === undefined || asciiOnly.has(p.charset)) && !['base64', 'quoted-printable'].includes(p.transferEncoding) && /[\x80-\xff]/.test(p.body));
    return part === undefined ? false : `${part.contentType}, charset ${part.charset ?? 'none'}, ${part.transferEncoding}`;
  },
});
