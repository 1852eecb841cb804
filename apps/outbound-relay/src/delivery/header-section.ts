/**
 * The header section of a message (RFC 5322 §2.1: everything before the
 * first empty line), read from the front of its stream without reading the
 * rest, and the domain of its From: field.
 */

/** Header section plus the CRLF that ends it, at most `limit` octets (the rest is cut at a line end). */
export async function readHeaderSection(chunks: AsyncIterable<Uint8Array>, limit = 256 * 1024): Promise<Buffer> {
  let head = Buffer.alloc(0);
  for await (const chunk of chunks) {
    head = Buffer.concat([head, chunk]);
    const end = endOfHeader(head);
    if (end >= 0) return head.subarray(0, end);
    if (head.length > limit) break;
  }
  const cut = head.subarray(0, limit);
  const lastLine = cut.lastIndexOf('\r\n');
  return lastLine >= 0 ? cut.subarray(0, lastLine + 2) : cut;
}

/** Offset just after the last header line's CRLF (the empty line not included), or -1. */
function endOfHeader(buffer: Buffer): number {
  if (buffer.subarray(0, 2).toString('latin1') === '\r\n') return 0;
  const blank = buffer.indexOf('\r\n\r\n');
  return blank >= 0 ? blank + 2 : -1;
}

/** The value of the first `name` field, unfolded (RFC 5322 §2.2.3), or undefined. */
export function headerValue(section: Buffer, name: string): string | undefined {
  const unfolded = section.toString('utf8').replace(/\r\n(?=[ \t])/g, '');
  const wanted = name.toLowerCase();
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** The domain of the (first) author in From: (RFC 5322 §3.6.2), lower-cased, or undefined. */
export function fromDomain(section: Buffer): string | undefined {
  const from = headerValue(section, 'From');
  if (!from) return undefined;
  const angle = /<([^<>]*@[^<>]*)>/.exec(from)?.[1];
  const bare = /([^\s<>,;:"]+@[^\s<>,;:"]+)/.exec(from)?.[1];
  const address = angle ?? bare;
  return address ? address.slice(address.lastIndexOf('@') + 1).toLowerCase() : undefined;
}
