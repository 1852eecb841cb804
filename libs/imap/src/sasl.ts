// The AUTHENTICATE exchange (RFC 9051 §6.2.2, RFC 4959 SASL-IR): BASE64
// client responses, "=" for an empty initial response, "*" to cancel, and
// the PLAIN mechanism (RFC 4616). The decoding itself is the one of
// @mail/pop3 (the same SASL rules, written once); here its refusals become
// IMAP responses.

import { decodeSaslInitialResponse, parseSaslContinuation, parseSaslPlainMessage, Pop3ResponseError, type SaslPlainCredentials } from '@mail/pop3';
import { ImapResponseError } from './response-error';

export type { SaslPlainCredentials } from '@mail/pop3';

/** A client line answering a continuation request during AUTHENTICATE. */
export type AuthenticateResponse = { readonly cancelled: true } | { readonly cancelled: false; readonly data: Buffer };

function translated<T>(decode: () => T, status: 'BAD' | 'NO'): T {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof Pop3ResponseError)) throw error;
    // RFC 9051 §6.2.2: undecodable responses are BAD; rejected credentials NO [AUTHENTICATIONFAILED]
    throw new ImapResponseError(status, error.message, { userFault: true, cause: error, ...(status === 'NO' ? { code: 'AUTHENTICATIONFAILED' as const } : {}) });
  }
}

/**
 * The initial response of `AUTHENTICATE mechanism initial-response` (RFC
 * 4959 §3: "=" is the empty response).
 *
 * @throws ImapResponseError BAD when it is not BASE64.
 */
export function decodeInitialResponse(text: string): Buffer {
  return translated(() => decodeSaslInitialResponse(text), 'BAD');
}

/**
 * A line sent in answer to a `+` challenge (RFC 9051 §6.2.2): "*" cancels
 * (answer tagged BAD), anything else is BASE64.
 *
 * @throws ImapResponseError BAD when the line is not BASE64.
 */
export function parseAuthenticateResponse(line: string | Buffer): AuthenticateResponse {
  return translated(() => parseSaslContinuation(typeof line === 'string' ? line : line.toString('latin1')), 'BAD');
}

/**
 * Decodes a PLAIN message (RFC 4616 §2: `[authzid] NUL authcid NUL passwd`).
 *
 * @throws ImapResponseError NO [AUTHENTICATIONFAILED] when it is malformed; the text never holds the secret.
 */
export function decodePlainCredentials(message: Uint8Array): SaslPlainCredentials {
  return translated(() => parseSaslPlainMessage(message), 'NO');
}

/** A continuation request carrying a SASL challenge (RFC 9051 §7.5: `+ ` BASE64). */
export function formatSaslChallenge(challenge: Uint8Array = new Uint8Array(0)): string {
  return `+ ${Buffer.from(challenge.buffer, challenge.byteOffset, challenge.byteLength).toString('base64')}\r\n`;
}

/** RFC 9051 §6.2.2: the answer to "*": the exchange is cancelled. */
export function authenticationCancelled(tag: string): ImapResponseError {
  return new ImapResponseError('BAD', 'Authentication cancelled', { tag, userFault: true });
}
