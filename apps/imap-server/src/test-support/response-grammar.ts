/**
 * A checker of what an IMAP server writes, for specs that drive whole
 * sessions with hostile input: the output is cut into responses (RFC 9051
 * §2.2.2: lines ending in CRLF, joined by the literals `{n}` that end a
 * line, their octets skipped), and each must be a continuation request
 * (`+ `), an untagged response (`* ` and a status or a known data
 * response), or a tagged status (`tag OK|NO|BAD`) with a tag of the
 * command grammar (§9: no `+`, no atom-specials). Text is UTF-8 without NUL
 * or a lone CR (§9 TEXT-CHAR, UTF8-2/3/4); status text never ends in a
 * literal marker (a client would wait for octets that never come); data
 * responses have balanced parentheses and closed quoted strings.
 */

/** One response, its lines joined (literal octets left out, their markers kept). */
export type ServerResponse =
  | { readonly kind: 'continuation'; readonly text: string }
  | { readonly kind: 'untagged'; readonly text: string; readonly status: string | undefined }
  | { readonly kind: 'tagged'; readonly text: string; readonly tag: string; readonly status: 'OK' | 'NO' | 'BAD' };

/** A response that breaks the grammar. */
export class MalformedResponseError extends Error {
  override name = 'MalformedResponseError';
}

const LITERAL_MARKER = /~?\{([0-9]+)\}$/;
const CONTINUATION = /^\+ /;
const UNTAGGED_STATUS = /^\* (OK|NO|BAD|BYE|PREAUTH)(?: |$)/;
const UNTAGGED_DATA =
  /^\* (?:[0-9]+ (?:EXISTS|RECENT|EXPUNGE|FETCH \()|CAPABILITY |LIST \(|LSUB \(|STATUS |SEARCH(?: |$)|ESEARCH(?: |$)|FLAGS \(|ENABLED(?: |$)|NAMESPACE |ID |QUOTA |QUOTAROOT |VANISHED )/;
// RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">
// eslint-disable-next-line no-control-regex
const TAGGED_STATUS = /^([^\x00-\x20\x7f(){%*"\\+]+) (OK|NO|BAD) /;
const RESPONSE_CODE = /^\[[A-Z0-9.=-]+(?: [^\]]*)?\](?: |$)/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Cuts `output` into responses and checks each; throws MalformedResponseError at the first fault. */
export function readResponses(output: Buffer): ServerResponse[] {
  const responses: ServerResponse[] = [];
  let text = '';
  for (let offset = 0; offset < output.length;) {
    const lf = output.indexOf(0x0a, offset);
    if (lf < 0) throw new MalformedResponseError(`unterminated response: ${JSON.stringify(output.toString('latin1', offset, offset + 80))}`);
    if (lf === offset || output[lf - 1] !== 0x0d) throw new MalformedResponseError(`a line not ended by CRLF at ${offset}`);
    const line = lineText(output.subarray(offset, lf - 1));
    offset = lf + 1;
    text += line;
    const literal = LITERAL_MARKER.exec(line);
    if (literal !== null && !isStatus(text)) {
      offset += Number(literal[1]);
      if (offset > output.length) throw new MalformedResponseError(`a literal cut short: ${JSON.stringify(text.slice(0, 80))}`);
      continue;
    }
    responses.push(classify(text));
    text = '';
  }
  return responses;
}

function lineText(line: Buffer): string {
  if (line.includes(0x00) || line.includes(0x0d)) throw new MalformedResponseError(`NUL or CR in a line: ${JSON.stringify(line.toString('latin1', 0, 80))}`);
  try {
    return utf8.decode(line);
  } catch {
    throw new MalformedResponseError(`not UTF-8: ${JSON.stringify(line.toString('latin1', 0, 80))}`);
  }
}

function isStatus(text: string): boolean {
  return CONTINUATION.test(text) || UNTAGGED_STATUS.test(text) || TAGGED_STATUS.test(text);
}

function classify(text: string): ServerResponse {
  if (CONTINUATION.test(text)) return { kind: 'continuation', text: checkStatusText(text, text.slice(2)) };
  const untaggedStatus = UNTAGGED_STATUS.exec(text);
  if (untaggedStatus !== null) return { kind: 'untagged', text: checkStatusText(text, text.slice(untaggedStatus[0].length)), status: untaggedStatus[1] };
  if (UNTAGGED_DATA.test(text)) return { kind: 'untagged', text: checkStructure(text), status: undefined };
  const tagged = TAGGED_STATUS.exec(text);
  if (tagged !== null) return { kind: 'tagged', text: checkStatusText(text, text.slice(tagged[0].length)), tag: tagged[1] as string, status: tagged[2] as 'OK' | 'NO' | 'BAD' };
  throw new MalformedResponseError(`not an IMAP response: ${JSON.stringify(text.slice(0, 120))}`);
}

/** RFC 9051 §9 resp-text: an optional `[code]`, then text that is no literal marker. */
function checkStatusText(whole: string, respText: string): string {
  if (respText.startsWith('[') && !RESPONSE_CODE.test(respText)) throw new MalformedResponseError(`an unclosed response code: ${JSON.stringify(whole.slice(0, 120))}`);
  if (LITERAL_MARKER.test(whole)) throw new MalformedResponseError(`status text ending like a literal: ${JSON.stringify(whole.slice(0, 120))}`);
  return whole;
}

/** Parentheses balance outside quoted strings, and every quoted string ends. */
function checkStructure(text: string): string {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) throw new MalformedResponseError(`unbalanced ")": ${JSON.stringify(text.slice(0, 120))}`);
  }
  if (quoted || depth !== 0) throw new MalformedResponseError(`an unclosed list or string: ${JSON.stringify(text.slice(0, 120))}`);
  return text;
}
