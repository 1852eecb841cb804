import { defineContentRule } from './content-rule';

/** Decoded octets looked at. */
const sample = 4096;

/**
 * RFC 2045 §6.8: base64 is for data that is not text; text that is plain
 * ASCII needs no encoding at all (7bit, or quoted-printable for long lines).
 * Encoding it anyway hides the words from simple filters (SpamAssassin's
 * MIME_BASE64_TEXT).
 */
export default defineContentRule({
  name: 'MIME_BASE64_TEXT',
  score: 1,
  description: 'A text/plain part is base64-encoded although it is plain US-ASCII text.',
  test: (view) =>
    view.textParts.some((part) => {
      if (part.contentType !== 'text/plain' || part.transferEncoding !== 'base64') return false;
      const encoded = part.body.slice(0, 2 * sample).replace(/\s+/g, '');
      const decoded = Buffer.from(encoded.slice(0, Math.min(encoded.length - (encoded.length % 4), Math.ceil(sample / 3) * 4)), 'base64').toString('latin1');
      return decoded.trim() !== '' && /^[\t\n\r\x20-\x7e]*$/.test(decoded);
    }),
});
