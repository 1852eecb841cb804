// Status responses, the one place where OK/NO/BAD/BYE/PREAUTH lines are
// serialized (RFC 9051 §7.1), tagged (§2.2.2) or untagged; continuation
// requests (§7.5); and the turning of an ImapResponseError into its lines.

import { formatResponseCode, type ResponseCode } from './response-codes';
import type { ImapResponseError } from './response-error';

/** RFC 9051 §7.1: the status responses. */
export type ResponseStatus = 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';

/** One status response. */
export interface StatusResponse {
  /** The command's tag; absent for an untagged (`*`) response. */
  readonly tag?: string;
  readonly status: ResponseStatus;
  readonly code?: ResponseCode;
  readonly text: string;
}

/** Longest human-readable text kept in a response line. */
export const MAX_RESPONSE_TEXT = 1000;

/**
 * RFC 9051 §9: text = 1*TEXT-CHAR (any CHAR but CR and LF; 8-bit only as
 * UTF-8 to clients that enabled it). Controls become spaces, 8-bit becomes "?"
 * unless `utf8`, the text is cut to {@link MAX_RESPONSE_TEXT} characters, and
 * an empty text becomes "." so the line stays well formed.
 */
export function sanitizeText(text: string, utf8 = false): string {
  // eslint-disable-next-line no-control-regex
  let safe = text.replace(/[\x00-\x1f\x7f]/g, ' ');
  if (!utf8) safe = safe.replace(/[^\x20-\x7e]/g, '?');
  safe = [...safe].slice(0, MAX_RESPONSE_TEXT).join('');
  // RFC 9051 §7.1: text starting with "[" would read as a response code
  if (safe.startsWith('[')) safe = ` ${safe}`;
  return safe.trim() === '' ? '.' : safe;
}

/** A status response line with CRLF, e.g. `a1 OK [READ-WRITE] SELECT completed\r\n`. */
export function formatStatusResponse(response: StatusResponse, options: { utf8?: boolean } = {}): string {
  const code = response.code === undefined ? '' : `[${formatResponseCode(response.code)}] `;
  return `${response.tag ?? '*'} ${response.status} ${code}${sanitizeText(response.text, options.utf8)}\r\n`;
}

/** A tagged OK (RFC 9051 §7.1.1). */
export function ok(tag: string, text: string, code?: ResponseCode): string {
  return formatStatusResponse({ tag, status: 'OK', text, ...(code === undefined ? {} : { code }) });
}

/** An untagged response with its data, e.g. `* 3 EXISTS\r\n` (RFC 9051 §2.2.2). */
export function untagged(data: string): string {
  return `* ${data}\r\n`;
}

/** RFC 9051 §7.5: a continuation request, `+ text`. */
export function continuation(text = 'Ready'): string {
  return `+ ${sanitizeText(text)}\r\n`;
}

/** RFC 9051 §7.1.5: the BYE sent before the server closes the connection. */
export function bye(text: string, code?: ResponseCode): string {
  return formatStatusResponse({ status: 'BYE', text, ...(code === undefined ? {} : { code }) });
}

/**
 * The lines answering a refusal: the tagged (or, without a tag, untagged;
 * RFC 9051 §7.1.3) NO/BAD, then a BYE when the connection must close.
 */
export function formatRefusal(error: ImapResponseError, options: { utf8?: boolean } = {}): string {
  const line = formatStatusResponse(
    { ...(error.tag === undefined || error.status === 'BYE' ? {} : { tag: error.tag }), status: error.status, text: error.text, ...(error.code === undefined ? {} : { code: error.code }) },
    options,
  );
  if (!error.closeConnection || error.status === 'BYE') return line;
  return line + bye('Closing the connection');
}
