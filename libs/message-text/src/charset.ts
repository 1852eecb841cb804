/**
 * Octets to text by a MIME charset (RFC 2045 §5.1 `charset`, RFC 2046
 * §4.1.2; RFC 2047 §2 in encoded words), through the WHATWG Encoding
 * Standard's decoders that Node's TextDecoder carries (ISO-8859-x,
 * windows-125x, KOI8, Shift_JIS, EUC-JP, ISO-2022-JP, GBK/GB18030, Big5,
 * EUC-KR ...). What a sender labels ISO-8859-1 or US-ASCII is decoded as
 * windows-1252, as every mail client does: a superset in practice. An
 * unknown or missing label is read as UTF-8 when the octets are UTF-8, else
 * as windows-1252, so no octet is ever lost and nothing throws.
 */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const windows1252 = new TextDecoder('windows-1252');
const decoders = new Map<string, TextDecoder | null>();
/** Labels seen, each with its decoder or null (unknown); bounded, as labels come from messages. */
const maxRemembered = 256;

function decoderFor(label: string): TextDecoder | null {
  const key = label.trim().toLowerCase();
  const known = decoders.get(key);
  if (known !== undefined) return known;
  let decoder: TextDecoder | null = null;
  try {
    decoder = new TextDecoder(key);
  } catch {
    // not a WHATWG label (utf-7, x-unknown, a typo): read as unlabeled
  }
  if (decoders.size < maxRemembered) decoders.set(key, decoder);
  return decoder;
}

/** `octets` as UTF-8 when they are, else as windows-1252 (each octet one character). */
export function decodeUnlabeled(octets: Uint8Array): string {
  let ascii = true;
  for (const octet of octets) {
    if (octet >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(octets.buffer, octets.byteOffset, octets.byteLength).toString('latin1');
  try {
    return strictUtf8.decode(octets);
  } catch {
    return windows1252.decode(octets);
  }
}

/** Labels that promise 7-bit text (RFC 2046 §4.1.2 default, RFC 2045 §5.2): 8-bit octets under them are read as unlabeled. */
const asciiLabels = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso-ir-6', 'us']);

/**
 * `octets` in the charset `label` (RFC 2046 §4.1.2); unlabeled
 * (decodeUnlabeled) when the label is missing, unknown or US-ASCII — a
 * sender that writes 8-bit text under the default label means UTF-8 or a
 * Latin charset, not ASCII.
 */
export function decodeCharset(octets: Uint8Array, label: string | undefined): string {
  const key = label?.trim().toLowerCase() ?? '';
  const decoder = key === '' || asciiLabels.has(key) ? null : decoderFor(key);
  // UTF-8 is decoded leniently when labelled: a broken sequence becomes U+FFFD, the rest stays readable
  return decoder === null ? decodeUnlabeled(octets) : decoder.decode(octets);
}
