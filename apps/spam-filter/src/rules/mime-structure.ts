/**
 * The MIME structure the content rules read, scanned from the octets the
 * filter already holds (MessageContent.raw, decoded as latin1 so that one
 * character is one octet): the top-level header fields in order, and the
 * leaf parts with their declared type, charset and transfer encoding and
 * their still-encoded body. mailparser decodes a message but keeps none of
 * this, and a scan is cheap: one pass over the header sections, and
 * `indexOf` for the boundaries (bodies are slices of the one string).
 * Bounded like the parse: at most maxFields fields per header section,
 * maxParts leaf parts and maxDepth levels of nesting.
 */

export interface HeaderField {
  /** Lower case. */
  readonly name: string;
  /** Unfolded (RFC 5322 §2.2.3), trimmed, still encoded (RFC 2047 words stay as they are). */
  readonly value: string;
}

export interface MimePart {
  /** `type/subtype` in lower case; text/plain when the part declares none (RFC 2045 §5.2). */
  readonly contentType: string;
  /** The declared charset in lower case, or undefined when there is no charset parameter. */
  readonly charset: string | undefined;
  /** Lower case; 7bit when the part declares none (RFC 2045 §6.1). */
  readonly transferEncoding: string;
  /** Content-Disposition: attachment, or a file name given (RFC 2183). */
  readonly attachment: boolean;
  /** The part's body as read, still transfer-encoded, one character per octet. */
  readonly body: string;
}

export interface MimeStructure {
  readonly headers: readonly HeaderField[];
  readonly parts: readonly MimePart[];
}

const maxFields = 200;
const maxParts = 100;
const maxDepth = 8;

/** The header section (up to the first empty line, RFC 5322 §2.1) and where the body starts. */
function splitEntity(entity: string): { head: string; body: string } {
  const blank = /\r?\n\r?\n/.exec(entity);
  if (blank === null) return { head: entity, body: '' };
  return { head: entity.slice(0, blank.index), body: entity.slice(blank.index + blank[0].length) };
}

/** The fields of a header section, unfolded; lines that are no field (no colon) are skipped. */
export function headerFields(head: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    // RFC 5322 §2.2: field-name is printable US-ASCII except colon.
    if (colon <= 0 || !/^[!-9;-~]+[ \t]*$/.test(line.slice(0, colon))) continue;
    fields.push({ name: line.slice(0, colon).trimEnd().toLowerCase(), value: line.slice(colon + 1).trim() });
    if (fields.length >= maxFields) break;
  }
  return fields;
}

/** A parameter of a structured field (`charset="utf-8"`, RFC 2045 §5.1), without quotes. */
export function fieldParameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^\\s;]+))`, 'i').exec(value);
  const parameter = match?.[1] ?? match?.[2];
  return parameter === undefined ? undefined : parameter.trim();
}

function fieldValue(fields: readonly HeaderField[], name: string): string | undefined {
  return fields.find((field) => field.name === name)?.value;
}

/** The body parts between a multipart body's delimiter lines (RFC 2046 §5.1.1); the preamble and epilogue are left out. */
function multipartBodies(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const bodies: string[] = [];
  let at = body.startsWith(delimiter) ? 0 : body.indexOf(`\n${delimiter}`);
  while (at !== -1 && bodies.length < maxParts) {
    const lineStart = body[at] === '\n' ? at + 1 : at;
    const afterDelimiter = lineStart + delimiter.length;
    if (body.startsWith('--', afterDelimiter)) break;
    const contentStart = body.indexOf('\n', afterDelimiter);
    if (contentStart === -1) break;
    const next = body.indexOf(`\n${delimiter}`, contentStart);
    const end = next === -1 ? body.length : next;
    bodies.push(body.slice(contentStart + 1, end > contentStart && body[end - 1] === '\r' ? end - 1 : end));
    at = next;
  }
  return bodies;
}

function collectParts(entity: string, depth: number, parts: MimePart[], fields?: readonly HeaderField[]): void {
  const { head, body } = splitEntity(entity);
  const own = fields ?? headerFields(head);
  const contentTypeField = fieldValue(own, 'content-type') ?? '';
  const contentType = (/^\s*([!#-'*+.0-9A-Z^-~-]+\/[!#-'*+.0-9A-Z^-~-]+)/i.exec(contentTypeField)?.[1] ?? 'text/plain').toLowerCase();
  const boundary = contentType.startsWith('multipart/') ? fieldParameter(contentTypeField, 'boundary') : undefined;
  if (boundary !== undefined && boundary !== '' && depth < maxDepth) {
    for (const child of multipartBodies(body, boundary)) {
      if (parts.length >= maxParts) return;
      collectParts(child, depth + 1, parts);
    }
    return;
  }
  const disposition = fieldValue(own, 'content-disposition') ?? '';
  parts.push({
    contentType,
    charset: fieldParameter(contentTypeField, 'charset')?.toLowerCase(),
    transferEncoding: (fieldValue(own, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase(),
    attachment: /^\s*attachment/i.test(disposition) || fieldParameter(disposition, 'filename') !== undefined || fieldParameter(contentTypeField, 'name') !== undefined,
    body,
  });
}

/** The message's top-level header fields and its leaf parts (the message itself when it is not multipart). */
export function mimeStructure(raw: string): MimeStructure {
  const headers = headerFields(splitEntity(raw).head);
  const parts: MimePart[] = [];
  collectParts(raw, 0, parts, headers);
  return { headers, parts };
}
