/**
 * The fields of a header section as text (RFC 5322 §2.2): folded lines
 * unfolded (§2.2.3), each field body read as UTF-8 when it is (RFC 6532)
 * else octet by octet, and its RFC 2047 encoded words decoded.
 */
import { decodeUnlabeled } from './charset';
import { decodeEncodedWords } from './encoded-words';

export interface HeaderField {
  /** As written, without the colon. */
  readonly name: string;
  /** Unfolded and decoded; trimmed. */
  readonly value: string;
}

const LF = 0x0a;

/** Removes a line's CR before its LF (RFC 5322 §2.1; a bare LF is read as a line end too). */
function withoutEol(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
}

/** The fields of `section` (a header section, its empty line optional), in order; lines that are no field are skipped. */
export function headerFields(section: Buffer): HeaderField[] {
  const fields: HeaderField[] = [];
  let name: string | undefined;
  let body: Buffer[] = [];
  const close = (): void => {
    if (name !== undefined) fields.push({ name, value: decodeEncodedWords(decodeUnlabeled(Buffer.concat(body))).trim() });
    name = undefined;
    body = [];
  };
  for (let from = 0; from < section.length;) {
    const lf = section.indexOf(LF, from);
    const to = lf < 0 ? section.length : lf + 1;
    const line = withoutEol(section.subarray(from, lf < 0 ? to : lf));
    from = to;
    if (line.length === 0) break; // the empty line ending the section
    const first = line[0];
    if (first === 0x20 || first === 0x09) {
      // RFC 5322 §2.2.3: a folded line continues the field; unfolding keeps its white space
      if (name !== undefined) body.push(line);
      continue;
    }
    close();
    const colon = line.indexOf(0x3a);
    if (colon <= 0) continue;
    name = line.toString('latin1', 0, colon).trim();
    body = [line.subarray(colon + 1)];
  }
  close();
  return fields;
}
