/**
 * What mailauth must read of a message longer than the content budget. Only
 * a DKIM signature (RFC 6376 §3.7, the bh= body hash) or an ARC message
 * signature (RFC 8617 §4.1.2, which carries the same bh=) makes the body
 * octets matter; SPF (RFC 7208) and DMARC (RFC 7489) read the envelope and
 * header fields alone. A large message without such a field is therefore
 * verified from its header section, not streamed again whole from the
 * object store: a 25 MiB body cost spam-filter over 100 MiB of RSS growth
 * in transient read buffers for a verdict the body could not change.
 */
import type { Readable } from 'node:stream';

/**
 * A header field whose verification hashes the body: DKIM-Signature and any
 * ARC- field (a chain with ARC-Seal but no ARC-Message-Signature is streamed
 * too, as before). A field name starts a line (RFC 5322 §2.2); obsolete
 * syntax allows white space before the colon (RFC 5322 §4.5). Bare LF line
 * ends count as well, so a doubtful message is always streamed.
 */
const bodySigningField = /(?:^|\n)(?:dkim-signature|arc-[a-z0-9-]+)[ \t]*:/i;

/** The header section of `prefix` up to and including its empty line (RFC 5322 §2.1), or undefined when the prefix holds no end of it. */
export function completeHeaderSection(prefix: Buffer): Buffer | undefined {
  if (prefix.subarray(0, 2).toString('latin1') === '\r\n') return prefix.subarray(0, 2);
  const end = prefix.indexOf('\r\n\r\n');
  return end === -1 ? undefined : prefix.subarray(0, end + 4);
}

/** Whether any header field of `section` signs the body (DKIM or ARC). */
export function signsBody(section: Buffer): boolean {
  return bodySigningField.test(section.toString('latin1'));
}

/**
 * The input for mailauth: the message itself when it was read whole; its
 * header section when nothing in it signs the body; otherwise the whole
 * message streamed again (`stream()`, called only then).
 */
export function authenticationInput(read: { readonly bytes: Buffer; readonly truncated: boolean }, stream: () => Readable): Buffer | Readable {
  if (!read.truncated) return read.bytes;
  const section = completeHeaderSection(read.bytes);
  if (section === undefined || signsBody(section)) return stream();
  return section;
}
