/**
 * The Message-ID: field of a received message (RFC 5322 §3.6.4), read from
 * the header section of the body chunks without copying the whole body, so
 * the `received` event can carry it and `mailctl trace <Message-ID>` can
 * find the message. Only the first 64 KiB are looked at.
 */
const headLimit = 64 * 1024;
const decoder = new TextDecoder('latin1');

/** The field's value without folding or angle brackets' surrounding space, or undefined. */
export function messageIdHeaderOf(chunks: readonly Uint8Array[]): string | undefined {
  let head = '';
  for (const chunk of chunks) {
    head += decoder.decode(chunk.subarray(0, headLimit - head.length));
    if (head.length >= headLimit) break;
  }
  // RFC 5322 §2.1: the header section ends at the first empty line.
  const end = head.search(/\r?\n\r?\n/);
  const section = end === -1 ? head : head.slice(0, end);
  // RFC 5322 §2.2.3: unfold continuation lines before matching the field.
  const unfolded = section.replace(/\r?\n(?=[ \t])/g, '');
  const match = /^message-id[ \t]*:[ \t]*(.*)$/im.exec(unfolded);
  const value = match?.[1]?.trim();
  return value ? value.slice(0, 998) : undefined;
}

/**
 * Whether the body begins with text that is not a header field (RFC 5322
 * §2.2: field-name is printable US-ASCII but colon, then `:`). An empty
 * first line means an empty header section, which already has its separator.
 */
export function lacksHeaderSection(chunks: readonly Uint8Array[]): boolean {
  let head = '';
  for (const chunk of chunks) {
    head += decoder.decode(chunk.subarray(0, 1000 - head.length));
    if (head.length >= 1000 || head.includes('\n')) break;
  }
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine === '' || head === '') return false;
  return !/^[!-9;-~]+[ \t]*:/.test(firstLine);
}
