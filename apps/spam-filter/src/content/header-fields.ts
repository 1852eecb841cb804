/**
 * Every field of a message's header section, in order and repeated ones
 * included (MessageContent.headers keeps the first of each name only, and
 * the tokenizer wants every Received: field), read straight from the
 * octets: the section ends at the first empty line (RFC 5322 §2.1), folded
 * lines are unfolded (§2.2.3), and a line that is no field is skipped.
 * Bounded: at most `maxFields` fields from the first `maxOctets` octets.
 */

export interface HeaderField {
  /** Lower case. */
  readonly name: string;
  /** Unfolded, trimmed, as latin1 text (encoded words left as they are). */
  readonly value: string;
}

const maxOctets = 64 * 1024;

// RFC 5322 §3.6.8: a field name is printable US-ASCII but the colon.
const fieldLine = /^([!-9;-~]+)[ \t]*:(.*)$/;

export function headerFields(raw: Buffer, maxFields = 200): HeaderField[] {
  const lf = raw.indexOf('\n\n');
  const crlf = raw.indexOf('\r\n\r\n');
  const end = Math.min(maxOctets, ...[lf, crlf].filter((at) => at >= 0));
  const head = raw.subarray(0, end).toString('latin1');
  const fields: HeaderField[] = [];
  let current: { name: string; value: string } | undefined;
  const flush = () => {
    if (current) fields.push({ name: current.name, value: current.value.trim() });
    current = undefined;
  };
  for (const line of head.split(/\r?\n/)) {
    if (line === '') break;
    if ((line.startsWith(' ') || line.startsWith('\t')) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    if (fields.length >= maxFields) break;
    const match = fieldLine.exec(line);
    if (match) current = { name: (match[1] ?? '').toLowerCase(), value: match[2] ?? '' };
  }
  flush();
  return fields.slice(0, maxFields);
}
