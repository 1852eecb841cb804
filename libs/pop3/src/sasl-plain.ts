// The SASL PLAIN mechanism (RFC 4616) on the server side: decodes a client
// response `[authzid] NUL authcid NUL passwd` into its three parts. Checking
// the credentials is the session's job.

import { Pop3ResponseError } from './response';
import { decodeSaslInitialResponse } from './sasl-response';

/** The decoded PLAIN message. */
export interface SaslPlainCredentials {
  /** Identity to act as; absent when the client sent none (RFC 4616 §2: derive it from authcid). */
  readonly authzid?: string;
  /** Identity whose password is checked. */
  readonly authcid: string;
  /** The password. */
  readonly password: string;
}

/** RFC 4616 §2: each of authzid, authcid and passwd is at most 255 octets. */
export const MAX_SASL_PLAIN_FIELD = 255;

const NUL = 0;
// ignoreBOM: a leading U+FEFF is part of the name or password, not a byte-order mark to drop
// (found by the sasl fuzz spec: "\uFEFFpw" was checked as "pw")
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a PLAIN client response given as it came on the wire: the BASE64
 * initial response of `AUTH PLAIN <response>` (where "=" means empty, RFC
 * 5034 §4) or a continuation line already stripped of CRLF.
 *
 * @throws Pop3ResponseError (userFault) with a precise reason: not BASE64,
 *   wrong number of NUL separators, empty authcid or password, a field over
 *   255 octets, or invalid UTF-8. The reason never includes the secret.
 */
export function decodeSaslPlain(response: string): SaslPlainCredentials {
  return parseSaslPlainMessage(decodeSaslInitialResponse(response));
}

/**
 * Parses already-decoded PLAIN message octets (RFC 4616 §2:
 * `message = [authzid] UTF8NUL authcid UTF8NUL passwd`).
 *
 * @throws Pop3ResponseError as {@link decodeSaslPlain}.
 */
export function parseSaslPlainMessage(message: Uint8Array): SaslPlainCredentials {
  const bytes = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  if (bytes.length === 0) throw malformed('the response is empty');
  const first = bytes.indexOf(NUL);
  const second = first === -1 ? -1 : bytes.indexOf(NUL, first + 1);
  // RFC 4616 §2: exactly two NUL separators; none of the fields may contain NUL.
  if (second === -1 || bytes.indexOf(NUL, second + 1) !== -1) {
    throw malformed('expected exactly two NUL separators (authzid NUL authcid NUL password)');
  }
  const authzid = field(bytes.subarray(0, first), 'authorization identity');
  const authcid = field(bytes.subarray(first + 1, second), 'authentication identity');
  const password = field(bytes.subarray(second + 1), 'password');
  // RFC 4616 §2: authcid and passwd are 1*SAFE; only authzid may be empty.
  if (authcid === '') throw malformed('the authentication identity is empty');
  if (password === '') throw malformed('the password is empty');
  return authzid === '' ? { authcid, password } : { authzid, authcid, password };
}

function field(octets: Buffer, name: string): string {
  // RFC 4616 §2: each field is at most 255 octets.
  if (octets.length > MAX_SASL_PLAIN_FIELD) {
    throw malformed(`the ${name} is longer than ${MAX_SASL_PLAIN_FIELD} octets`);
  }
  try {
    // RFC 4616 §2: the fields are UTF-8.
    return STRICT_UTF8.decode(octets);
  } catch (cause) {
    throw malformed(`the ${name} is not valid UTF-8`, cause);
  }
}

function malformed(reason: string, cause?: unknown): Pop3ResponseError {
  return new Pop3ResponseError(`malformed PLAIN response: ${reason}`, {
    userFault: true,
    ...(cause === undefined ? {} : { cause }),
  });
}
