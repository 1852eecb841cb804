// The SASL exchange of SMTP AUTH (RFC 4954 §4) on the server side, without
// I/O: BASE64 responses (RFC 4648 §4), the "=" empty initial response, the
// "*" cancel line, server challenges, and the two password mechanisms
// submission offers: PLAIN (RFC 4616) and LOGIN (draft-murchison-sasl-login).
// Checking the credentials is the session's job.

import { C501ParamSyntax, EsSyntaxError, EsSecurityOther } from './reply-codes';
import { SmtpReplyError } from './reply';

/** A client line sent in answer to a 334 challenge. */
export type SaslResponse = { readonly cancelled: true } | { readonly cancelled: false; readonly data: Buffer };

/** PLAIN credentials (RFC 4616 §2). Never log them. */
export interface SaslPlainCredentials {
  /** The identity to act as; absent when empty (RFC 4616 §2: derived from authcid). */
  readonly authzid?: string;
  readonly authcid: string;
  readonly password: string;
}

/** RFC 4616 §2: authzid, authcid and passwd are each at most 255 octets. */
export const MAX_SASL_PLAIN_FIELD = 255;

/** draft-murchison-sasl-login §2.1: the two LOGIN prompts, as sent in the 334 replies. */
export const SaslLoginPrompt = { username: 'Username:', password: 'Password:' } as const;

// RFC 4648 §4 with canonical padding; RFC 4954 §4 allows no whitespace inside
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// ignoreBOM: a leading U+FEFF is part of the name or password, not a byte-order mark to drop
// (found by the sasl fuzz spec: "\uFEFFpw" was checked as "pw")
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** RFC 4954 §4: a response that cannot be decoded is refused with 501. */
const undecodable = (): SmtpReplyError => new SmtpReplyError(C501ParamSyntax, EsSyntaxError, 'Cannot decode BASE64 response');

function decodeBase64(text: string): Buffer {
  // Buffer.from(…, 'base64') skips junk silently: validate first
  if (!BASE64.test(text)) throw undecodable();
  return Buffer.from(text, 'base64');
}

/**
 * Decodes the initial response of `AUTH <mechanism> <initial-response>`
 * (already checked as BASE64 by parseCommand); "=" is the empty response
 * (RFC 4954 §4).
 *
 * @throws SmtpReplyError 501 5.5.2 when it is not BASE64.
 */
export function decodeSaslInitialResponse(text: string): Buffer {
  return text === '=' ? Buffer.alloc(0) : decodeBase64(text);
}

/**
 * Decodes a client line answering a 334 challenge. RFC 4954 §4: a single
 * "*" cancels the exchange (the server then replies 501); otherwise the line
 * is BASE64, possibly empty.
 *
 * @throws SmtpReplyError 501 5.5.2 when the line is not BASE64.
 */
export function parseSaslResponse(line: string): SaslResponse {
  if (line === '*') return { cancelled: true };
  return { cancelled: false, data: decodeBase64(line) };
}

/** The text of a 334 reply carrying `challenge` (RFC 4954 §4: BASE64, empty for none). */
export function formatSaslChallenge(challenge: string | Uint8Array = ''): string {
  return Buffer.from(challenge).toString('base64');
}

const malformed = (reason: string, cause?: unknown): SmtpReplyError => new SmtpReplyError(C501ParamSyntax, EsSyntaxError, `Malformed PLAIN response: ${reason}`, cause === undefined ? {} : { cause });

function plainField(octets: Buffer, name: string): string {
  if (octets.length > MAX_SASL_PLAIN_FIELD) throw malformed(`the ${name} is longer than ${MAX_SASL_PLAIN_FIELD} octets`);
  try {
    return STRICT_UTF8.decode(octets);
  } catch (cause) {
    throw malformed(`the ${name} is not UTF-8`, cause);
  }
}

/**
 * Parses a decoded PLAIN message (RFC 4616 §2:
 * `message = [authzid] UTF8NUL authcid UTF8NUL passwd`).
 *
 * @throws SmtpReplyError 501 5.5.2 naming what is wrong, never the secret.
 */
export function parseSaslPlain(message: Buffer): SaslPlainCredentials {
  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  // RFC 4616 §2: exactly two NUL separators
  if (second < 0 || message.indexOf(0, second + 1) >= 0) throw malformed('expected authzid NUL authcid NUL password');
  const authzid = plainField(message.subarray(0, first), 'authorization identity');
  const authcid = plainField(message.subarray(first + 1, second), 'authentication identity');
  const password = plainField(message.subarray(second + 1), 'password');
  // RFC 4616 §2: authcid and passwd are 1*SAFE; only authzid may be empty
  if (authcid === '' || password === '') throw malformed('empty user name or password');
  return authzid === '' ? { authcid, password } : { authzid, authcid, password };
}

/**
 * Decodes a LOGIN answer (user name or password): UTF-8 text of at most 255
 * octets (draft-murchison-sasl-login §2.1 leaves the limit open; PLAIN's is used).
 *
 * @throws SmtpReplyError 501 5.5.2 when it is empty, too long or not UTF-8.
 */
export function parseSaslLoginField(data: Buffer, name: 'user name' | 'password'): string {
  if (data.length === 0 || data.length > MAX_SASL_PLAIN_FIELD) {
    throw new SmtpReplyError(C501ParamSyntax, EsSyntaxError, `Malformed LOGIN response: the ${name} must be 1-${MAX_SASL_PLAIN_FIELD} octets`);
  }
  try {
    return STRICT_UTF8.decode(data);
  } catch (cause) {
    throw new SmtpReplyError(C501ParamSyntax, EsSyntaxError, `Malformed LOGIN response: the ${name} is not UTF-8`, { cause });
  }
}

/** RFC 4954 §4: the reply to a "*" line: 501, the exchange is over. */
export function saslCancelled(): SmtpReplyError {
  return new SmtpReplyError(C501ParamSyntax, EsSecurityOther, 'Authentication canceled');
}
